package org.concilium.measure;

import static org.concilium.measure.MeasureScenario.given;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stratifiers in value and component form (clinical-reasoning {@code MeasureStratifierTest}, README section A). */
class StratifierTest {

    static InMemoryClinicalData data;

    @BeforeAll
    static void load() {
        data = SharedData.load("clinical-reasoning/measure-r4/MeasureStratifierTest");
    }

    @Test
    void codeStratifierSplitsBySex() {
        given(data).when().measure("CohortBooleanStratCode").evaluate().then()
                .firstGroup().stratifier(0).hasStratumCount(2)
                .stratum("M").hasCount("initial-population", 5).up()
                .stratum("F").hasCount("initial-population", 5);
    }

    @Test
    void codeStratifierForOneSubjectHasOneStratum() {
        given(data).when().measure("CohortBooleanStratCode").subject("Patient/patient-9").evaluate().then()
                .firstGroup().stratifier(0).hasStratumCount(1)
                .stratum("M").hasCount("initial-population", 1);
    }

    @Test
    void booleanValueStratifier() {
        given(data).when().measure("CohortBooleanStratValue").evaluate().then()
                .firstGroup().stratifier(0).hasStratumCount(2)
                .stratum("true").hasCount("initial-population", 9).up()
                .stratum("false").hasCount("initial-population", 1);
    }

    @Test
    void ratioValueStratifierScoresPerStratum() {
        given(data).when().measure("RatioBooleanStratValue").evaluate().then()
                .firstGroup().hasCount("initial-population", 10)
                .stratifier(0).hasStratumCount(2)
                .stratum("M").hasCount("initial-population", 5).hasScore(0.2);
    }

    @Test
    void componentStratifier() {
        given(data).when().measure("RatioBooleanStratComponent").evaluate().then()
                .firstGroup().stratifier(0).hasStratumCount(2)
                .stratum("M,35").hasCount("initial-population", 5).hasCount("denominator", 5).hasCount("numerator", 1)
                .hasScore(0.2).up()
                .stratum("F,38").hasCount("initial-population", 5).hasCount("denominator", 5).hasCount("numerator", 2)
                .hasScore(0.4);
    }

    @Test
    void resourceBasisStratifiedByPatientAge() {
        given(data).when().measure("RatioResourceStratValue").evaluate().then()
                .firstGroup().stratifier(0).hasStratumCount(2)
                .stratum("38").hasScore(0.3333333333333333).up()
                .stratum("35").hasScore(0.14285714285714285);
    }
}
