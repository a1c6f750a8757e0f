package org.concilium.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Flattens a summary report into "cell name → value" so that a network report and the local report of the
 * union can be compared count for count and score for score. Stratum / SDE values outside the layout's domain
 * are folded into "other", and cells absent from one side count as 0.
 */
final class ReportComparison {
    static final BigDecimal FOLDED = new BigDecimal("-1E+99");

    private ReportComparison() {}

    static Map<String, BigDecimal> cells(MeasureLayout layout, MeasureReport r) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (int gi = 0; gi < r.getGroup().size(); gi++) {
            MeasureReport.MeasureReportGroupComponent rg = r.getGroup().get(gi);
            GroupLayout g = layout.groups().get(gi);
            String gp = "g" + gi;
            rg.getPopulation().forEach(p -> add(out, gp + "." + p.getCode().getCodingFirstRep().getCode(), p.getCount()));
            score(out, gp, rg.getMeasureScore());
            for (int si = 0; si < rg.getStratifier().size(); si++) {
                StratifierLayout s = g.stratifiers().get(si);
                for (MeasureReport.StratifierGroupComponent st : rg.getStratifier().get(si).getStratum()) {
                    String sp = gp + ".s" + si + "." + s.strata().get(ReportEncoder.stratumIndex(s, st)).name();
                    st.getPopulation().forEach(p -> add(out, sp + "." + p.getCode().getCodingFirstRep().getCode(), p.getCount()));
                    score(out, sp, st.getMeasureScore());
                }
            }
        }
        Map<String, Observation> contained = new HashMap<>();
        for (Resource res : r.getContained()) contained.put(res.getIdElement().getIdPart().replace("#", ""), (Observation) res);
        for (Extension e : r.getExtensionsByUrl(ReportExtensions.SUPPLEMENTAL_DATA)) {
            Reference ref = (Reference) e.getValue();
            Observation o = contained.get(ref.getReference().substring(1));
            SupplementalLayout sde = ReportEncoder.sdeOf(layout, e, ref, o);
            String sdeKey = sde.key();
            int i = sde.domain().indexOf(new org.hl7.fhir.r4.model.CodeableConcept().addCoding(o.getCode().getCodingFirstRep()));
            String name = i < 0 ? OtherBucket.SLOT_NAME : sde.domain().valueName(i);
            add(out, "sde." + sdeKey + "." + name, ((IntegerType) o.getValue()).getValue());
        }
        return out;
    }

    private static void add(Map<String, BigDecimal> out, String k, int v) {
        out.merge(k, BigDecimal.valueOf(v), BigDecimal::add);
    }

    private static void score(Map<String, BigDecimal> out, String prefix, Quantity q) {
        if (q != null && q.hasValue()) {
            // several local strata folded into one "other" stratum: their scores cannot be compared
            out.merge(prefix + ".score", q.getValue(), (x, y) -> FOLDED);
        }
    }

    /** Equal counts and scores; a count missing on one side must be 0 on the other. */
    static void assertSameResults(MeasureLayout layout, MeasureReport expected, MeasureReport actual) {
        Map<String, BigDecimal> e = cells(layout, expected);
        Map<String, BigDecimal> a = cells(layout, actual);
        java.util.Set<String> keys = new java.util.TreeSet<>(e.keySet());
        keys.addAll(a.keySet());
        for (String k : keys) {
            BigDecimal ev = e.getOrDefault(k, k.endsWith(".score") ? null : BigDecimal.ZERO);
            BigDecimal av = a.getOrDefault(k, k.endsWith(".score") ? null : BigDecimal.ZERO);
            if (FOLDED.equals(ev) || FOLDED.equals(av)) continue;
            if (ev == null || av == null) {
                assertEquals(ev, av, k);
            } else {
                // a score is a double on both sides; a site averages its doubles, the network divides an exact
                // fixed-point sum, so a continuous-variable score may differ in its last binary digit
                double tolerance = Math.ulp(ev.doubleValue()) * 4;
                assertTrue(Math.abs(ev.doubleValue() - av.doubleValue()) <= tolerance, k + ": expected " + ev + " got " + av);
            }
        }
    }
}
