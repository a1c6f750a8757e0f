package org.concilium.measure;

import static org.concilium.measure.MeasureScenario.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FHIRPath criteria (src/test/resources/measure/fhirpath) give the same numbers as their CQL
 * originals in the clinical-reasoning MeasureTest fixtures, for summary and individual reports.
 */
class FhirPathMeasureTest {

    static InMemoryClinicalData data;

    @BeforeAll
    static void load() throws URISyntaxException {
        Path fixtures = Path.of(FhirPathMeasureTest.class.getResource("/measure/fhirpath").toURI());
        InMemoryClinicalData measureTest = SharedData.load("clinical-reasoning/measure-r4/MeasureTest");
        data = InMemoryClinicalData.builder().addAll(measureTest.all()).addDirectory(fixtures).build();
    }

    @ParameterizedTest(name = "{0} = {1} ({2})")
    @CsvSource(nullValues = "all", value = {
        "FhirPathProportionBoolean, ProportionBooleanAllPopulations, all",
        "FhirPathProportionBoolean, ProportionBooleanAllPopulations, Patient/patient-9",
        "FhirPathProportionResource, ProportionResourceAllPopulations, all",
        "FhirPathProportionResource, ProportionResourceAllPopulations, Patient/patient-9",
        "FhirPathRatioBoolean, RatioBooleanAllPopulations, all",
        "FhirPathRatioBoolean, RatioBooleanAllPopulations, Patient/patient-9",
        "FhirPathRatioResource, RatioResourceAllPopulations, all",
        "FhirPathRatioResource, RatioResourceAllPopulations, Patient/patient-9",
        "FhirPathCohortBoolean, CohortBooleanAllPopulations, all",
        "FhirPathCohortResource, CohortResourceAllPopulations, all",
        "FhirPathRatioBooleanStratValue, RatioBooleanStratValue, all"
    })
    void sameNumbersAsCql(String fhirPathMeasure, String cqlMeasure, String subject) {
        MeasureReport fhirPath = given(data).when().measure(fhirPathMeasure).subject(subject).evaluate().then().report();
        MeasureReport cql = given(data).when().measure(cqlMeasure).subject(subject).evaluate().then().report();
        assertEquals(numbers(cql), numbers(fhirPath));
        assertFalse(numbers(cql).isEmpty());
    }

    @Test
    void knownNumbers() {
        given(data).when().measure("FhirPathProportionBoolean").evaluate().then().firstGroup()
                .hasCount("initial-population", 10).hasCount("denominator-exclusion", 2)
                .hasCount("denominator-exception", 2).hasCount("numerator", 2).hasScore(0.3333333333333333);
        given(data).when().measure("FhirPathRatioResource").evaluate().then().firstGroup()
                .hasCount("initial-population", 11).hasScore(0.2222222222222222);
        given(data).when().measure("FhirPathRatioBooleanStratValue").evaluate().then().firstGroup()
                .stratifier(0).hasStratumCount(2).stratum("M").hasCount("initial-population", 5).hasScore(0.2);
    }

    @Test
    void resourceBasisStratifierSeesEachEncounter() {
        given(data).when().measure("FhirPathCohortResourceStratStatus").evaluate().then().firstGroup()
                .hasCount("initial-population", 11)
                .stratifier(0).hasStratumCount(5)
                .stratum("in-progress").hasCount("initial-population", 3).up()
                .stratum("finished").hasCount("initial-population", 2).up()
                .stratum("cancelled").hasCount("initial-population", 2);
    }

    /** Population counts, scores and stratum counts/scores keyed by code / stratum text. */
    static Map<String, Object> numbers(MeasureReport report) {
        Map<String, Object> out = new TreeMap<>();
        for (var g : report.getGroup()) {
            for (var p : g.getPopulation()) {
                out.put(p.getCode().getCodingFirstRep().getCode(), p.getCount());
            }
            if (g.hasMeasureScore()) {
                out.put("score", g.getMeasureScore().getValue().doubleValue());
            }
            for (var s : g.getStratifier()) {
                for (var st : s.getStratum()) {
                    String v = st.hasValue() ? st.getValue().getText()
                            : String.join(",", st.getComponent().stream().map(c -> c.getValue().getText()).toList());
                    for (var p : st.getPopulation()) {
                        out.put(v + "/" + p.getCode().getCodingFirstRep().getCode(), p.getCount());
                    }
                    if (st.hasMeasureScore()) {
                        out.put(v + "/score", st.getMeasureScore().getValue().doubleValue());
                    }
                }
            }
        }
        return out;
    }
}
