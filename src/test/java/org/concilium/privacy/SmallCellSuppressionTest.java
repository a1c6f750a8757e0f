package org.concilium.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.concilium.layout.MeasureLayout;
import org.concilium.layout.PopulationCodes;
import org.concilium.layout.ReportExtensions;
import org.concilium.measure.MeasureModel;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class SmallCellSuppressionTest {
    private final SmallCellSuppression suppression = new SmallCellSuppression(ReleasePolicy.suppressionOnly());

    static Measure measure(String scoring, String... populations) {
        Measure m = new Measure();
        m.setUrl("http://example.org/Measure/m");
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", scoring, null)));
        Measure.MeasureGroupComponent g = m.addGroup();
        for (String p : populations) {
            g.addPopulation().setCode(new CodeableConcept(new Coding(PopulationCodes.SYSTEM, p, null)))
                    .setCriteria(new Expression().setLanguage("text/fhirpath").setExpression("Patient.exists()"));
        }
        g.addStratifier().setCode(new CodeableConcept().setText("gender"))
                .setCriteria(new Expression().setLanguage("text/fhirpath").setExpression("Patient.gender"));
        Measure.MeasureSupplementalDataComponent race = m.addSupplementalData();
        race.setCode(new CodeableConcept().setText("race"))
                .setCriteria(new Expression().setLanguage("text/fhirpath").setExpression("Patient.extension('race').value"));
        for (String code : List.of("white", "black", "asian")) {
            race.getExtension().add(new Extension("http://concilium.org/fhir/StructureDefinition/stratum-value", new CodeType(code)));
        }
        return m;
    }

    private static void set(MeasureLayout l, long[] v, String slot, long value) {
        v[l.indexOf(slot)] = value;
    }

    private static Integer count(MeasureReport r, int stratum, String population) {
        var pops = stratum < 0 ? r.getGroupFirstRep().getPopulation().stream().map(p -> (Object) p).toList()
                : r.getGroupFirstRep().getStratifierFirstRep().getStratum().get(stratum).getPopulation().stream().map(p -> (Object) p).toList();
        for (Object o : pops) {
            IntegerType c;
            String code;
            if (o instanceof MeasureReport.MeasureReportGroupPopulationComponent p) {
                c = p.getCountElement(); code = p.getCode().getCodingFirstRep().getCode();
            } else {
                var p = (MeasureReport.StratifierGroupPopulationComponent) o;
                c = p.getCountElement(); code = p.getCode().getCodingFirstRep().getCode();
            }
            if (code.equals(population)) return SmallCellSuppression.isMasked(c) ? null : c.getValue();
        }
        throw new AssertionError(population);
    }

    @Test
    void smallStratumIsMaskedWithItsComplement() {
        Measure m = measure("cohort", "initial-population");
        MeasureLayout l = MeasureLayout.of(MeasureModel.of(m));
        long[] v = new long[l.slotCount()];
        set(l, v, "g[#1].pop[initial-population]", 100);
        set(l, v, "g[#1].strat[gender][male].pop[initial-population]", 50);
        set(l, v, "g[#1].strat[gender][female].pop[initial-population]", 40);
        set(l, v, "g[#1].strat[gender][other].pop[initial-population]", 5);
        set(l, v, "g[#1].strat[gender][unknown].pop[initial-population]", 0);
        set(l, v, "g[#1].strat[gender][*other*].pop[initial-population]", 5);
        MeasureReport decoded = l.decode(v);
        MeasureReport r = suppression.apply(decoded, l);

        assertEquals(100, count(r, -1, "initial-population"));
        assertEquals(50, count(r, 0, "initial-population"), "largest stratum stays");
        assertNull(count(r, 2, "initial-population"), "5 < k");
        assertNull(count(r, 4, "initial-population"), "5 < k (other bucket)");
        // masked cells sum to 10 < k: the smallest visible cells follow (0, then 40) until the sum reaches k
        assertNull(count(r, 3, "initial-population"));
        assertNull(count(r, 1, "initial-population"));
        assertEquals(50, count(decoded, 0, "initial-population"), "the input report is not modified");
        assertEquals(5, count(decoded, 2, "initial-population"));
    }

    @Test
    void oneSmallStratumDrawsTheNextSmallestIntoSuppression() {
        MeasureLayout l = MeasureLayout.of(MeasureModel.of(measure("cohort", "initial-population")));
        long[] v = new long[l.slotCount()];
        set(l, v, "g[#1].pop[initial-population]", 300);
        set(l, v, "g[#1].strat[gender][male].pop[initial-population]", 150);
        set(l, v, "g[#1].strat[gender][female].pop[initial-population]", 120);
        set(l, v, "g[#1].strat[gender][other].pop[initial-population]", 3);
        set(l, v, "g[#1].strat[gender][unknown].pop[initial-population]", 27);
        MeasureReport r = suppression.apply(l.decode(v), l);
        assertNull(count(r, 2, "initial-population"));
        assertNull(count(r, 3, "initial-population"), "300 − 150 − 120 would reveal 3 otherwise");
        assertEquals(150, count(r, 0, "initial-population"));
        assertEquals(120, count(r, 1, "initial-population"));
    }

    @Test
    void smallComplementWithinAGroupMasksTheChildAndTheScore() {
        Measure m = measure("proportion", "initial-population", "denominator", "numerator");
        MeasureLayout l = MeasureLayout.of(MeasureModel.of(m));
        long[] v = new long[l.slotCount()];
        set(l, v, "g[#1].pop[initial-population]", 120);
        set(l, v, "g[#1].pop[denominator]", 100);
        set(l, v, "g[#1].pop[numerator]", 96); // DEN − NUM = 4 patients not meeting the measure
        MeasureReport r = suppression.apply(l.decode(v), l);
        MeasureReportGroupComponent g = r.getGroupFirstRep();
        assertEquals(120, count(r, -1, "initial-population"));
        assertEquals(100, count(r, -1, "denominator"));
        assertNull(count(r, -1, "numerator"));
        assertFalse(g.getMeasureScore().hasValue(), "the score would reveal the numerator");
        assertEquals("masked", g.getMeasureScore().getExtensionByUrl(ReportExtensions.DATA_ABSENT_REASON).getValue().primitiveValue());
    }

    @Test
    void scoresOfStrataWithMaskedCountsAreWithheld() {
        Measure m = measure("proportion", "initial-population", "denominator", "numerator");
        MeasureLayout l = MeasureLayout.of(MeasureModel.of(m));
        long[] v = new long[l.slotCount()];
        set(l, v, "g[#1].pop[initial-population]", 200);
        set(l, v, "g[#1].pop[denominator]", 200);
        set(l, v, "g[#1].pop[numerator]", 100);
        for (String[] s : new String[][] {{"male", "100", "60"}, {"female", "94", "38"}, {"other", "6", "2"}}) {
            set(l, v, "g[#1].strat[gender][" + s[0] + "].pop[initial-population]", Long.parseLong(s[1]));
            set(l, v, "g[#1].strat[gender][" + s[0] + "].pop[denominator]", Long.parseLong(s[1]));
            set(l, v, "g[#1].strat[gender][" + s[0] + "].pop[numerator]", Long.parseLong(s[2]));
        }
        MeasureReport r = suppression.apply(l.decode(v), l);
        StratifierGroupComponent other = r.getGroupFirstRep().getStratifierFirstRep().getStratum().get(2);
        assertFalse(other.getMeasureScore().hasValue());
        assertTrue(r.getGroupFirstRep().getStratifierFirstRep().getStratum().get(0).getMeasureScore().hasValue());
        assertEquals(0.5, r.getGroupFirstRep().getMeasureScore().getValue().doubleValue());
    }

    @Test
    void supplementalDataValuesAreSuppressedAsALine() {
        MeasureLayout l = MeasureLayout.of(MeasureModel.of(measure("cohort", "initial-population")));
        long[] v = new long[l.slotCount()];
        set(l, v, "g[#1].pop[initial-population]", 54);
        set(l, v, "sde[race][white]", 30);
        set(l, v, "sde[race][black]", 4);
        set(l, v, "sde[race][asian]", 20);
        MeasureReport r = suppression.apply(l.decode(v), l);
        var byCode = new java.util.HashMap<String, Observation>();
        r.getContained().forEach(o -> byCode.put(((Observation) o).getCode().getCodingFirstRep().getCode(), (Observation) o));
        assertEquals(30, ((IntegerType) byCode.get("white").getValue()).getValue());
        assertTrue(byCode.get("black").hasDataAbsentReason());
        assertFalse(byCode.get("black").hasValue());
        assertTrue(byCode.get("asian").hasDataAbsentReason(), "complement of the masked value");
        assertEquals("masked", byCode.get("asian").getDataAbsentReason().getCodingFirstRep().getCode());
    }

    @Test
    void continuousVariableResultsFromFewObservationsAreWithheld() {
        Measure m = measure("continuous-variable", "initial-population", "measure-population", "measure-observation"); // observed: a CV score needs its observation population
        MeasureLayout l = MeasureLayout.of(MeasureModel.of(m));
        long[] v = new long[l.slotCount()];
        set(l, v, "g[#1].pop[initial-population]", 40);
        set(l, v, "g[#1].pop[measure-population]", 40);
        set(l, v, "g[#1].obs.sum", 400_000);
        set(l, v, "g[#1].obs.count", 40);
        set(l, v, "g[#1].strat[gender][male].pop[initial-population]", 36);
        set(l, v, "g[#1].strat[gender][male].pop[measure-population]", 36);
        set(l, v, "g[#1].strat[gender][male].obs.sum", 300_000);
        set(l, v, "g[#1].strat[gender][male].obs.count", 36);
        set(l, v, "g[#1].strat[gender][female].obs.sum", 100_000);
        set(l, v, "g[#1].strat[gender][female].obs.count", 4);
        MeasureReport r = suppression.apply(l.decode(v), l);
        assertEquals(400, r.getGroupFirstRep().getMeasureScore().getValue().intValue());
        StratifierGroupComponent female = r.getGroupFirstRep().getStratifierFirstRep().getStratum().get(1);
        assertFalse(female.getMeasureScore().hasValue());
        assertNull(female.getExtensionByUrl(ReportExtensions.OBSERVATION_SUM));
        assertNull(female.getExtensionByUrl(ReportExtensions.OBSERVATION_COUNT));
    }

    @Test
    void maskedCountSerialisesAsDataAbsentReason() {
        MeasureLayout l = MeasureLayout.of(MeasureModel.of(measure("cohort", "initial-population")));
        long[] v = new long[l.slotCount()];
        set(l, v, "g[#1].pop[initial-population]", 7);
        MeasureReport r = suppression.apply(l.decode(v), l);
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(r);
        assertTrue(json.contains("\"_count\":{\"extension\":[{\"url\":\"http://hl7.org/fhir/StructureDefinition/data-absent-reason\",\"valueCode\":\"masked\"}]}"), json);
        assertFalse(json.contains("\"count\":7"));
    }

    @Test
    void kOfOneDisablesSuppression() {
        MeasureLayout l = MeasureLayout.of(MeasureModel.of(measure("cohort", "initial-population")));
        long[] v = new long[l.slotCount()];
        set(l, v, "g[#1].pop[initial-population]", 2);
        set(l, v, "g[#1].strat[gender][male].pop[initial-population]", 1);
        set(l, v, "g[#1].strat[gender][female].pop[initial-population]", 1);
        MeasureReport r = new SmallCellSuppression(1).apply(l.decode(v), l);
        assertEquals(2, count(r, -1, "initial-population"));
        assertEquals(1, count(r, 0, "initial-population"));
    }
}
