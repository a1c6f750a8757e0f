package org.concilium.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.concilium.measure.AggregateMethod;
import org.concilium.measure.MeasureEvaluationException;
import org.concilium.measure.MeasureModel;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;

class MeasureLayoutTest {

    @Test
    void proportionSlotsFollowTheDocumentedOrder() {
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(TestMeasures.proportion()));
        // 5 populations + strata (gender 4+1, age 3+1, gender×age 12+1) × 5 populations + SDE (4+1) + (3+1)
        assertEquals(5 + (5 + 4 + 13) * 5 + 5 + 4, layout.slotCount());
        assertEquals("g[main].pop[initial-population]", layout.slotName(0));
        assertEquals("g[main].pop[numerator]", layout.slotName(4));
        assertEquals("g[main].strat[gender][male].pop[initial-population]", layout.slotName(5));
        assertEquals("g[main].strat[gender][*other*].pop[numerator]", layout.slotName(29));
        assertEquals("g[main].strat[age][0-17].pop[initial-population]", layout.slotName(30));
        assertEquals(50, layout.indexOf("g[main].strat[gender-age][male&0-17].pop[initial-population]"));
        assertEquals("sde[sde-sex][male]", layout.slotName(115));
        assertEquals("sde[sde-race][*other*]", layout.slotName(layout.slotCount() - 1));
        assertEquals(SlotKind.SUPPLEMENTAL_COUNT, layout.slots().get(115).kind());
        assertEquals("derived:administrative-gender", layout.groups().get(0).stratifiers().get(0).domains().get(0).source());
        assertEquals("declared", layout.groups().get(0).stratifiers().get(1).domains().get(0).source());
    }

    @Test
    void continuousVariableHasSumAndCountPerGroupAndStratum() {
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(TestMeasures.continuousVariable("average")));
        assertEquals(SlotKind.OBSERVATION_SUM, layout.slots().get(layout.indexOf("g[los].obs.sum")).kind());
        assertEquals(SlotKind.OBSERVATION_COUNT, layout.slots().get(layout.indexOf("g[los].strat[gender][female].obs.count")).kind());
        assertEquals(AggregateMethod.AVERAGE, layout.groups().get(0).aggregate());
        assertTrue(layout.hasObservationSums());
    }

    @Test
    void booleanAndPositionalKeysAreDerived() {
        MeasureLayout ratio = MeasureLayout.of(MeasureModel.of(TestMeasures.ratio()));
        assertEquals("g[falls].strat[has-fracture][true].pop[initial-population]", ratio.slotName(5));
        MeasureLayout cohort = MeasureLayout.of(MeasureModel.of(TestMeasures.cohort()));
        assertEquals("g[#1].pop[initial-population]", cohort.slotName(0));
        assertEquals("g[#1].strat[gender][unknown].pop[initial-population]", cohort.slotName(4));
    }

    @Test
    void valueSetBindingUsesTheExpansionFromTheSource() {
        Measure m = TestMeasures.cohort();
        Measure.MeasureGroupStratifierComponent s = m.getGroupFirstRep().addStratifier();
        s.setId("payer");
        s.setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression("Payer Type"));
        s.getExtension().add(new Extension(ValueDomainResolver.EXT_VALUE_SET, new CanonicalType("http://example.org/vs/payer")));
        ValueSet vs = new ValueSet();
        vs.getExpansion().addContains().setSystem("http://example.org/payer").setCode("medicare");
        vs.getExpansion().addContains().setSystem("http://example.org/payer").setCode("private");
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(m), url -> url.equals("http://example.org/vs/payer") ? Optional.of(vs) : Optional.empty());
        assertTrue(layout.slots().stream().anyMatch(x -> x.name().equals("g[#1].strat[payer][private].pop[initial-population]")));
        LayoutException e = assertThrows(LayoutException.class, () -> MeasureLayout.of(MeasureModel.of(m)));
        assertTrue(e.getMessage().contains("not available"), e.getMessage());
    }

    @Test
    void fingerprintChangesWithTheDomain() {
        Measure m = TestMeasures.proportion();
        String before = MeasureLayout.of(MeasureModel.of(m)).fingerprint();
        m.getGroupFirstRep().getStratifier().get(1).addExtension(ValueDomainResolver.EXT_VALUE, new org.hl7.fhir.r4.model.StringType("unknown"));
        assertNotEquals(before, MeasureLayout.of(MeasureModel.of(m)).fingerprint());
    }

    @Test
    void refusesAggregatesThatAreNotSums() {
        for (String agg : List.of("median", "minimum", "maximum")) {
            LayoutException e = assertThrows(LayoutException.class, () -> MeasureLayout.of(MeasureModel.of(TestMeasures.continuousVariable(agg))));
            assertTrue(e.getMessage().contains("cannot be computed from network sums"), e.getMessage());
        }
    }

    @Test
    void refusesMalformedMeasures() {
        Measure noScoring = TestMeasures.cohort().setScoring(null);
        // the one Measure model refuses what no evaluation could use, before any layout
        assertThrows(MeasureEvaluationException.class, () -> MeasureModel.of(noScoring));

        Measure dupStrat = TestMeasures.proportion();
        dupStrat.getGroupFirstRep().getStratifier().get(1).setId("gender");
        assertThrows(LayoutException.class, () -> MeasureLayout.of(MeasureModel.of(dupStrat)));

        Measure noNumerator = TestMeasures.base("x", "proportion");
        TestMeasures.pop(noNumerator.addGroup(), "denominator", "Denominator");
        assertThrows(MeasureEvaluationException.class, () -> MeasureModel.of(noNumerator));

        Measure vsWithoutExpansion = TestMeasures.cohort();
        vsWithoutExpansion.getGroupFirstRep().getStratifierFirstRep().getExtension()
                .add(new Extension(ValueDomainResolver.EXT_VALUE_SET, new CanonicalType("http://example.org/vs/x")));
        ValueSet filtered = new ValueSet();
        filtered.getCompose().addInclude().setSystem("http://snomed.info/sct").addFilter().setProperty("concept");
        assertThrows(LayoutException.class, () -> MeasureLayout.of(MeasureModel.of(vsWithoutExpansion), u -> Optional.of(filtered)));

        Measure unknownScoring = TestMeasures.base("y", "composite");
        TestMeasures.pop(unknownScoring.addGroup(), "initial-population", "IP");
        assertThrows(MeasureEvaluationException.class, () -> MeasureModel.of(unknownScoring));
    }

    @Test
    void refusesReportsThatDoNotFitTheLayout() {
        Measure m = TestMeasures.proportion();
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(m));
        MeasureReport good = LocalSummary.report(m, SyntheticPatient.site(1, 30));

        MeasureReport otherMeasure = good.copy().setMeasure("http://example.org/fhir/Measure/other");
        assertThrows(LayoutException.class, () -> layout.encode(otherMeasure));

        MeasureReport unknownGroup = good.copy();
        unknownGroup.getGroupFirstRep().setId("nope");
        assertThrows(LayoutException.class, () -> layout.encode(unknownGroup));

        MeasureReport unknownPopulation = good.copy();
        unknownPopulation.getGroupFirstRep().getPopulationFirstRep().getCode().getCodingFirstRep().setCode("measure-observation");
        assertThrows(LayoutException.class, () -> layout.encode(unknownPopulation));

        MeasureReport masked = good.copy();
        masked.getGroupFirstRep().getPopulationFirstRep().getCountElement().setValue(null)
                .addExtension(ReportExtensions.DATA_ABSENT_REASON, new CodeType("masked"));
        assertThrows(LayoutException.class, () -> layout.encode(masked));

        MeasureReport individual = good.copy().setType(MeasureReport.MeasureReportType.INDIVIDUAL);
        assertThrows(LayoutException.class, () -> layout.encode(individual));

        MeasureReport negative = good.copy();
        negative.getGroupFirstRep().getPopulationFirstRep().setCount(-1);
        assertThrows(LayoutException.class, () -> layout.encode(negative));

        assertThrows(LayoutException.class, () -> layout.decode(new long[layout.slotCount() - 1]));
    }

    @Test
    void aNoisyProportionAboveOneIsReleasedAsOne() {
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(TestMeasures.proportion()));
        long[] v = new long[layout.slotCount()];
        v[layout.indexOf("g[main].pop[initial-population]")] = 40;
        v[layout.indexOf("g[main].pop[denominator]")] = 36;
        v[layout.indexOf("g[main].pop[numerator]")] = 42; // noise put NUM above DEN
        MeasureReport decoded = layout.decode(v);
        assertEquals(0, decoded.getGroupFirstRep().getMeasureScore().getValue().compareTo(java.math.BigDecimal.ONE));
        assertEquals(42, decoded.getGroupFirstRep().getPopulation().stream()
                .filter(p -> p.getCode().getCodingFirstRep().getCode().equals("numerator")).findFirst().orElseThrow()
                .getCount(), "counts are released as they are; only the score is bounded");
    }

    @Test
    void valuesOutsideTheDomainGoToOther() {
        Measure m = TestMeasures.cohort();
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(m));
        MeasureReport r = new MeasureReport().setType(MeasureReport.MeasureReportType.SUMMARY);
        MeasureReport.MeasureReportGroupComponent g = r.addGroup();
        g.addPopulation().setCode(new CodeableConcept(new Coding(PopulationCodes.SYSTEM, "initial-population", null))).setCount(9);
        MeasureReport.MeasureReportGroupStratifierComponent s = g.addStratifier();
        s.addCode(new CodeableConcept().setText("gender"));
        s.addStratum().setValue(new CodeableConcept().setText("F")).addPopulation()
                .setCode(new CodeableConcept(new Coding(PopulationCodes.SYSTEM, "initial-population", null))).setCount(4);
        s.addStratum().setValue(new CodeableConcept().addCoding(new Coding("http://hl7.org/fhir/administrative-gender", "female", null)))
                .addPopulation().setCode(new CodeableConcept(new Coding(PopulationCodes.SYSTEM, "initial-population", null))).setCount(5);
        long[] v = layout.encode(r);
        assertEquals(4, v[layout.indexOf("g[#1].strat[gender][*other*].pop[initial-population]")]);
        assertEquals(5, v[layout.indexOf("g[#1].strat[gender][female].pop[initial-population]")]);

        MeasureReport decoded = layout.decode(v);
        List<MeasureReport.StratifierGroupComponent> strata = decoded.getGroupFirstRep().getStratifierFirstRep().getStratum();
        assertEquals(5, strata.size(), "4 gender codes, then the non-zero other bucket");
        assertTrue(OtherBucket.isOther(strata.get(4).getValue()));
    }

    @Test
    void decodeClampsNoisyNegativeCountsAndScoresAfterDecryption() {
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(TestMeasures.ratio()));
        long[] v = new long[layout.slotCount()];
        v[layout.indexOf("g[falls].pop[initial-population]")] = -3;
        v[layout.indexOf("g[falls].pop[denominator]")] = 40;
        v[layout.indexOf("g[falls].pop[denominator-exclusion]")] = 8;
        v[layout.indexOf("g[falls].pop[numerator]")] = 10;
        v[layout.indexOf("g[falls].pop[numerator-exclusion]")] = 2;
        MeasureReport r = layout.decode(v);
        assertEquals(0, r.getGroupFirstRep().getPopulationFirstRep().getCount());
        assertEquals(0.25, r.getGroupFirstRep().getMeasureScore().getValue().doubleValue(), 0.0);
    }
}
