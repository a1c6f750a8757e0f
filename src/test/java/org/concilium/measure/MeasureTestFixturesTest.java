package org.concilium.measure;

import static org.concilium.measure.MeasureScenario.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * clinical-reasoning {@code MeasureTest} fixtures (10 patients, 11 encounters, CQL without value
 * sets): every expectation of section A of the shared-data README, in summary, individual and
 * subject-list form.
 */
class MeasureTestFixturesTest {

    static InMemoryClinicalData data;

    @BeforeAll
    static void load() {
        data = SharedData.load("clinical-reasoning/measure-r4/MeasureTest");
    }

    @Test
    void proportionBooleanSummary() {
        given(data).when().measure("ProportionBooleanAllPopulations").evaluate().then()
                .hasType(MeasureReportType.SUMMARY)
                .firstGroup()
                .hasCount("initial-population", 10).hasCount("denominator", 10)
                .hasCount("denominator-exclusion", 2).hasCount("denominator-exception", 2)
                .hasCount("numerator-exclusion", 0).hasCount("numerator", 2)
                .hasScore(0.3333333333333333);
    }

    @Test
    void proportionBooleanIndividual() {
        given(data).when().measure("ProportionBooleanAllPopulations").subject("Patient/patient-9").evaluate().then()
                .hasType(MeasureReportType.INDIVIDUAL)
                .firstGroup()
                .hasCount("initial-population", 1).hasCount("denominator", 1)
                .hasCount("denominator-exclusion", 0).hasCount("denominator-exception", 0)
                .hasCount("numerator-exclusion", 0).hasCount("numerator", 1)
                .hasScore(1.0);
    }

    @Test
    void proportionBooleanSubjectList() {
        var then = given(data).when().measure("ProportionBooleanAllPopulations").reportType("subject-list").evaluate().then()
                .hasType(MeasureReportType.SUBJECTLIST);
        then.firstGroup()
                .hasCount("initial-population", 10).hasCount("denominator-exception", 2).hasCount("numerator", 2)
                .hasScore(0.3333333333333333)
                .population("numerator").hasSubjectResults();
        String ref = then.firstGroup().population("numerator").population.getSubjectResults().getReference();
        ListResource list = (ListResource) then.report().getContained().stream()
                .filter(r -> ("#" + r.getIdElement().getIdPart()).equals(ref) || r.getId().equals(ref))
                .findFirst().orElseThrow();
        assertEquals(2, list.getEntry().size());
        assertTrue(list.getEntry().stream().anyMatch(e -> e.getItem().getReference().equals("Patient/patient-9")));
    }

    @Test
    void proportionResourceSummary() {
        given(data).when().measure("ProportionResourceAllPopulations").evaluate().then()
                .firstGroup()
                .hasCount("initial-population", 11).hasCount("denominator", 11)
                .hasCount("denominator-exclusion", 2).hasCount("denominator-exception", 3)
                .hasCount("numerator-exclusion", 0).hasCount("numerator", 2)
                .hasScore(0.3333333333333333);
    }

    @Test
    void proportionResourceIndividual() {
        given(data).when().measure("ProportionResourceAllPopulations").subject("Patient/patient-9").evaluate().then()
                .firstGroup()
                .hasCount("initial-population", 2).hasCount("denominator", 2)
                .hasCount("denominator-exclusion", 0).hasCount("denominator-exception", 1)
                .hasCount("numerator-exclusion", 0).hasCount("numerator", 1)
                .hasScore(1.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Group/group-patients-1", "Practitioner/practitioner-1", "Group/group-practitioners-1"})
    void proportionResourceForGroupsAndPractitioners(String subject) {
        given(data).when().measure("ProportionResourceAllPopulations").subject(subject).reportType("population")
                .evaluate().then()
                .hasType(MeasureReportType.SUMMARY)
                .firstGroup()
                .hasCount("initial-population", 11).hasCount("denominator", 11)
                .hasCount("denominator-exclusion", 2).hasCount("denominator-exception", 3)
                .hasCount("numerator-exclusion", 0).hasCount("numerator", 2)
                .hasScore(0.3333333333333333);
    }

    @Test
    void ratioBoolean() {
        given(data).when().measure("RatioBooleanAllPopulations").evaluate().then()
                .firstGroup()
                .hasCount("initial-population", 10).hasCount("denominator", 10)
                .hasCount("denominator-exclusion", 2).hasCount("numerator-exclusion", 0).hasCount("numerator", 2)
                .hasNoPopulation("denominator-exception")
                .hasScore(0.25);
        given(data).when().measure("RatioBooleanAllPopulations").subject("Patient/patient-9").evaluate().then()
                .firstGroup()
                .hasCount("initial-population", 1).hasCount("denominator", 1)
                .hasCount("denominator-exclusion", 0).hasCount("numerator-exclusion", 0).hasCount("numerator", 1)
                .hasScore(1.0);
    }

    @Test
    void ratioResource() {
        given(data).when().measure("RatioResourceAllPopulations").evaluate().then()
                .firstGroup()
                .hasCount("initial-population", 11).hasCount("denominator", 11)
                .hasCount("denominator-exclusion", 2).hasCount("numerator-exclusion", 0).hasCount("numerator", 2)
                .hasScore(0.2222222222222222);
        given(data).when().measure("RatioResourceAllPopulations").subject("Patient/patient-9").evaluate().then()
                .firstGroup()
                .hasCount("initial-population", 2).hasCount("denominator", 2)
                .hasCount("denominator-exclusion", 0).hasCount("numerator-exclusion", 0).hasCount("numerator", 1)
                .hasScore(0.5);
    }

    @Test
    void cohort() {
        given(data).when().measure("CohortBooleanAllPopulations").evaluate().then()
                .firstGroup().hasCount("initial-population", 10).hasNoScore();
        given(data).when().measure("CohortBooleanAllPopulations").subject("Patient/patient-9").evaluate().then()
                .firstGroup().hasCount("initial-population", 1).hasNoScore();
        given(data).when().measure("CohortResourceAllPopulations").evaluate().then()
                .firstGroup().hasCount("initial-population", 11).hasNoScore();
        given(data).when().measure("CohortResourceAllPopulations").subject("Patient/patient-9").evaluate().then()
                .firstGroup().hasCount("initial-population", 2).hasNoScore();
    }

    @Test
    void continuousVariable() {
        given(data).when().measure("ContinuousVariableBooleanAllPopulations").evaluate().then()
                .firstGroup().hasCount("initial-population", 10).hasCount("measure-population", 10)
                .hasCount("measure-population-exclusion", 0);
        given(data).when().measure("ContinuousVariableBooleanAllPopulations").subject("Patient/patient-9").evaluate().then()
                .firstGroup().hasCount("initial-population", 1).hasCount("measure-population", 1)
                .hasCount("measure-population-exclusion", 0);
        given(data).when().measure("ContinuousVariableResourceAllPopulations").evaluate().then()
                .firstGroup().hasCount("initial-population", 11).hasCount("measure-population", 11)
                .hasCount("measure-population-exclusion", 0);
        given(data).when().measure("ContinuousVariableResourceAllPopulations").subject("Patient/patient-9").evaluate().then()
                .firstGroup().hasCount("initial-population", 2).hasCount("measure-population", 2)
                .hasCount("measure-population-exclusion", 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ProportionBooleanImprovementNotationNone", "ProportionBooleanImprovementNotationMeasureIncrease",
        "ProportionBooleanImprovementNotationGroupIncrease"})
    void improvementNotationIncreaseKeepsScore(String measure) {
        given(data).when().measure(measure).evaluate().then().firstGroup()
                .hasCount("initial-population", 10).hasCount("denominator", 10).hasCount("denominator-exclusion", 2)
                .hasCount("denominator-exception", 2).hasCount("numerator", 2)
                .hasScore(0.3333333333333333);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ProportionBooleanImprovementNotationMeasureDecrease",
        "ProportionBooleanImprovementNotationGroupDecrease", "ProportionBooleanImprovementNotationMeasureAndGroup"})
    void improvementNotationDecreaseInvertsScoreByDefault(String measure) {
        given(data).when().measure(measure).evaluate().then().firstGroup()
                .hasCount("numerator", 2).hasScore(0.6666666666666667);
    }

    @Test
    void improvementNotationDecreaseAsIsOption() {
        var asIs = new MeasureEvaluator(new MeasureEvaluator.Options(null, MeasureEvaluator.DecreaseScoring.AS_IS, 2));
        given(data).when().measure("ProportionBooleanImprovementNotationMeasureDecrease").using(asIs).evaluate().then()
                .firstGroup().hasScore(0.3333333333333333);
    }

    @Test
    void measureByCanonicalUrl() {
        given(data).when().measure("http://example.com/Measure/ProportionBooleanAllPopulations").evaluate().then()
                .firstGroup().hasCount("numerator", 2);
    }
}
