package org.concilium.layout;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.concilium.measure.MeasureModel.Population;
import org.concilium.measure.MeasureScore;
import org.concilium.measure.PopulationTotals;
import org.concilium.measure.Scoring;
import org.concilium.measure.StratumValue;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupStratifierComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Network sum vector → summary MeasureReport. Negative counts (possible only with DP noise) are clamped to 0,
 * and a proportion score to [0, 1] (noise can put the numerator above the denominator), which is
 * post-processing and costs no privacy. Every domain stratum / supplemental value is written, even
 * when 0; an "other" bucket only when it is non-zero.
 */
final class ReportDecoder {
    private final MeasureLayout layout;

    ReportDecoder(MeasureLayout layout) {
        this.layout = layout;
    }

    MeasureReport decode(long[] v) {
        if (v.length != layout.slotCount()) {
            throw new LayoutException("vector has " + v.length + " slots, layout has " + layout.slotCount());
        }
        MeasureReport r = new MeasureReport();
        r.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
        r.setType(MeasureReport.MeasureReportType.SUMMARY);
        if (layout.measureCanonical() != null) r.setMeasure(layout.measureCanonical());
        for (GroupLayout g : layout.groups()) decodeGroup(g, v, r.addGroup());
        decodeSupplemental(v, r);
        return r;
    }

    private void decodeGroup(GroupLayout g, long[] v, MeasureReportGroupComponent rg) {
        if (g.id() != null) rg.setId(g.id());
        if (g.code() != null && !g.code().isEmpty()) rg.setCode(g.code().copy());
        String gp = SlotNames.group(g.key());
        for (PopulationLayout p : g.populations()) {
            long c = count(v, SlotNames.pop(gp, p.key()));
            rg.addPopulation().setCode(populationCode(p)).setCount((int) c).setId(p.id());
        }
        score(g, v, gp, rg).ifPresent(rg::setMeasureScore);
        for (StratifierLayout s : g.stratifiers()) decodeStratifier(g, s, v, rg.addStratifier());
    }

    private void decodeStratifier(GroupLayout g, StratifierLayout s, long[] v, MeasureReportGroupStratifierComponent rs) {
        if (s.id() != null) rs.setId(s.id());
        if (s.code() != null && !s.code().isEmpty()) rs.addCode(s.code().copy());
        for (Stratum stratum : s.strata()) {
            String sp = SlotNames.stratum(g.key(), s.key(), stratum.name());
            if (stratum.isOther() && allZero(v, sp, g)) continue;
            StratifierGroupComponent out = rs.addStratum();
            if (stratum.isOther()) {
                out.setValue(OtherBucket.concept());
            } else if (!s.hasComponents()) {
                out.setValue(stratum.values().get(0).toConcept());
            } else {
                for (int k = 0; k < s.componentKeys().size(); k++) {
                    out.addComponent().setCode(new CodeableConcept().setText(s.componentKeys().get(k)))
                            .setValue(stratum.values().get(k).toConcept());
                }
            }
            for (PopulationLayout p : g.populations()) {
                long c = count(v, SlotNames.pop(sp, p.key()));
                out.addPopulation().setCode(populationCode(p)).setCount((int) c).setId(p.id());
            }
            score(g, v, sp, out).ifPresent(out::setMeasureScore);
        }
    }

    private boolean allZero(long[] v, String prefix, GroupLayout g) {
        for (PopulationLayout p : g.populations()) if (count(v, SlotNames.pop(prefix, p.key())) != 0) return false;
        return !g.isContinuousVariable() || count(v, SlotNames.obsCount(prefix)) == 0;
    }

    /**
     * Score of a group or stratum through the one scoring ({@link MeasureScore#of}, decrease convention
     * included) that local reports use; CV results also carry their exact sum and count as extensions.
     */
    private Optional<Quantity> score(GroupLayout g, long[] v, String prefix, Element holder) {
        long sum;
        long n;
        if (g.isContinuousVariable()) {
            sum = v[layout.indexOf(SlotNames.obsSum(prefix))];
            n = count(v, SlotNames.obsCount(prefix));
            holder.addExtension(new Extension(ReportExtensions.OBSERVATION_SUM,
                    new DecimalType(MeasureScoring.fromFixedPoint(sum))));
            holder.addExtension(new Extension(ReportExtensions.OBSERVATION_COUNT, new IntegerType((int) n)));
        } else {
            sum = 0;
            n = 0;
        }
        PopulationTotals totals = new PopulationTotals() {
            @Override
            public long count(Population p) {
                for (PopulationLayout pl : g.populations()) {
                    if (pl.population().index() == p.index()) return ReportDecoder.this.count(v, SlotNames.pop(prefix, pl.key()));
                }
                return 0;
            }

            @Override
            public Optional<Double> observation(Population p) {
                // the layout keeps one observation sum per CV group (LayoutBuilder refuses ratios of observations)
                return MeasureScoring.continuousVariable(g.aggregate(), sum, n).map(BigDecimal::doubleValue);
            }
        };
        Optional<Double> s = MeasureScore.of(g.group(), totals, true);
        if (g.scoring() == Scoring.PROPORTION) {
            // exact counts always give 0..1; noisy ones (NUM > DEN) may not, and clamping is post-processing
            s = s.map(value -> Math.max(0.0, Math.min(1.0, value)));
        }
        return s.map(value -> new Quantity().setValue(value));
    }

    private long count(long[] v, String slot) {
        long c = Math.max(0, v[layout.indexOf(slot)]);
        if (c > Integer.MAX_VALUE) throw new LayoutException(slot + ": count " + c + " exceeds a FHIR integer");
        return c;
    }

    private static CodeableConcept populationCode(PopulationLayout p) {
        return new CodeableConcept(new Coding(PopulationCodes.SYSTEM, p.code(), null));
    }

    private void decodeSupplemental(long[] v, MeasureReport r) {
        int n = 0;
        for (SupplementalLayout sde : layout.supplementalData()) {
            List<StratumValue> values = sde.domain().values();
            for (int i = 0; i <= values.size(); i++) {
                boolean other = i == values.size();
                String name = other ? OtherBucket.SLOT_NAME : sde.domain().valueName(i);
                long c = count(v, SlotNames.sde(sde.key(), name));
                if (other && c == 0) continue;
                Observation o = new Observation();
                o.setId("sde-" + (++n));
                o.setStatus(Observation.ObservationStatus.FINAL);
                CodeableConcept code = other ? OtherBucket.concept() : values.get(i).toConcept();
                if (!other && code.getCoding().isEmpty()) code.addCoding(new Coding(null, values.get(i).code(), null));
                if (sde.code() != null && sde.code().hasCoding()) code.addCoding(sde.code().getCodingFirstRep().copy());
                o.setCode(code.setText(null));
                o.setValue(new IntegerType((int) c));
                Extension info = new Extension(ReportExtensions.MEASURE_INFO);
                if (layout.measureCanonical() != null) {
                    info.addExtension("measure", new CanonicalType(layout.measureCanonical()));
                }
                info.addExtension("populationId", new StringType(sde.key()));
                o.addExtension(info);
                r.addContained(o);
                Reference ref = new Reference("#" + o.getIdElement().getIdPart());
                ref.addExtension(ReportExtensions.CRITERIA_REFERENCE, new StringType(sde.key()));
                r.addExtension(ReportExtensions.SUPPLEMENTAL_DATA, ref);
            }
        }
    }
}
