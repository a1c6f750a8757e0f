package org.concilium.layout;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * A stand-in for the local measure engine: the summary report cqf-fhir-cr would produce for these patients
 * (strata only for values present, stratum values as text, SDE counts as contained Observations). Scores are
 * computed here independently of {@link MeasureScoring}.
 */
final class LocalSummary {
    private LocalSummary() {}

    static MeasureReport report(Measure m, List<SyntheticPatient> patients) {
        MeasureReport r = new MeasureReport();
        r.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
        r.setType(MeasureReport.MeasureReportType.SUMMARY);
        r.setMeasure(m.getUrl() + "|" + m.getVersion());
        String scoring = m.getScoring().getCodingFirstRep().getCode();
        for (Measure.MeasureGroupComponent g : m.getGroup()) {
            MeasureReport.MeasureReportGroupComponent rg = r.addGroup();
            if (g.hasId()) rg.setId(g.getId());
            fill(g, patients, scoring, rg.getPopulation()::add, rg::setMeasureScore);
            for (Measure.MeasureGroupStratifierComponent s : g.getStratifier()) {
                MeasureReport.MeasureReportGroupStratifierComponent rs = rg.addStratifier();
                if (s.hasId()) rs.setId(s.getId());
                if (s.hasCode()) rs.addCode(s.getCode().copy());
                Map<String, List<SyntheticPatient>> byValue = new LinkedHashMap<>();
                for (SyntheticPatient p : patients) {
                    String key = s.hasComponent()
                            ? value("gender", p) + "\u0000" + value("age", p)
                            : value(s.hasId() ? s.getId() : s.getCode().getText(), p);
                    byValue.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(p);
                }
                byValue.forEach((key, ps) -> {
                    MeasureReport.StratifierGroupComponent st = rs.addStratum();
                    if (s.hasComponent()) {
                        String[] parts = key.split("\u0000");
                        st.addComponent().setCode(new CodeableConcept().setText("gender"))
                                .setValue(new CodeableConcept().setText(parts[0]));
                        st.addComponent().setCode(new CodeableConcept().setText("age"))
                                .setValue(new CodeableConcept().setText(parts[1]));
                    } else {
                        st.setValue(new CodeableConcept().setText(key));
                    }
                    fill(g, ps, scoring, pop -> st.addPopulation().setCode(pop.getCode()).setCount(pop.getCount()).setId(pop.getId()),
                            st::setMeasureScore);
                });
            }
        }
        int n = 0;
        for (Measure.MeasureSupplementalDataComponent sde : m.getSupplementalData()) {
            Function<SyntheticPatient, String> f = sde.getId().equals("sde-sex") ? SyntheticPatient::gender : SyntheticPatient::race;
            Map<String, Long> counts = new LinkedHashMap<>();
            patients.forEach(p -> counts.merge(f.apply(p), 1L, Long::sum));
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                Observation o = new Observation();
                o.setId("obs-" + (++n));
                o.setCode(new CodeableConcept().addCoding(new Coding().setCode(e.getKey()))
                        .addCoding(new Coding(null, sde.getId(), null)));
                o.setValue(new IntegerType(e.getValue()));
                r.addContained(o);
                Reference ref = new Reference("#obs-" + n);
                ref.addExtension(ReportExtensions.CRITERIA_REFERENCE, new StringType(sde.getId()));
                r.addExtension(ReportExtensions.SUPPLEMENTAL_DATA, ref);
            }
        }
        return r;
    }

    static String value(String stratifier, SyntheticPatient p) {
        return switch (stratifier) {
            case "gender" -> p.gender();
            case "age" -> p.ageBand();
            case "has-fracture" -> Boolean.toString(p.fracture());
            default -> throw new IllegalArgumentException(stratifier);
        };
    }

    private static void fill(Measure.MeasureGroupComponent g, List<SyntheticPatient> ps, String scoring,
            java.util.function.Consumer<MeasureReport.MeasureReportGroupPopulationComponent> add,
            java.util.function.Consumer<Quantity> setScore) {
        Map<String, Integer> c = new LinkedHashMap<>();
        for (Measure.MeasureGroupPopulationComponent mp : g.getPopulation()) {
            String code = mp.getCode().getCodingFirstRep().getCode();
            int count = (int) ps.stream().filter(p -> p.in(code)).count();
            c.put(code, count);
            add.accept(new MeasureReport.MeasureReportGroupPopulationComponent()
                    .setCode(mp.getCode().copy()).setCount(count));
        }
        switch (scoring) {
            case "proportion", "ratio" -> {
                int den = c.getOrDefault("denominator", 0) - c.getOrDefault("denominator-exclusion", 0)
                        - c.getOrDefault("denominator-exception", 0);
                int num = c.getOrDefault("numerator", 0) - c.getOrDefault("numerator-exclusion", 0);
                if (den != 0) setScore.accept(new Quantity().setValue(BigDecimal.valueOf(num / (double) den)));
            }
            case "continuous-variable" -> {
                List<BigDecimal> obs = ps.stream().map(SyntheticPatient::observation).filter(Objects::nonNull).toList();
                String agg = g.getPopulation().stream().map(p -> p.getExtensionByUrl("http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-aggregateMethod"))
                        .filter(Objects::nonNull).findFirst().map(e -> e.getValue().primitiveValue()).orElse("sum");
                BigDecimal sum = obs.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                if (agg.equals("count")) setScore.accept(new Quantity().setValue(obs.size()));
                else if (!obs.isEmpty() && agg.equals("sum")) setScore.accept(new Quantity().setValue(sum));
                else if (!obs.isEmpty()) setScore.accept(new Quantity().setValue(
                        sum.divide(BigDecimal.valueOf(obs.size()), new MathContext(17, RoundingMode.HALF_UP))));
            }
            default -> { }
        }
    }
}
