package org.concilium.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.concilium.measure.EvaluateMeasureCommand;
import org.concilium.measure.InMemoryClinicalData;
import org.concilium.measure.MeasureEvaluator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The sample Measures through the real measure engine over generated sites: every criterion runs,
 * and counts and strata are realistic enough for a demo (non-trivial, above the small-cell size).
 */
class DemoMeasureEvaluationTest {

    private static final MeasureEvaluator ENGINE = new MeasureEvaluator();

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    private static MeasureReport summary(String measureId, int site, int patients) {
        InMemoryClinicalData.Builder data = InMemoryClinicalData.builder();
        for (Bundle b : SyntheticPopulation.generateBundles(42, site, patients, 100)) {
            data.addBundle(b);
        }
        data.add(DemoMeasures.measure(measureId));
        return ENGINE.evaluate(EvaluateMeasureCommand.of("Measure/" + measureId, "2024-01-01", "2024-12-31",
                "population", null, null, null), data.build());
    }

    private static Map<String, Integer> counts(MeasureReport.MeasureReportGroupComponent g) {
        Map<String, Integer> out = new HashMap<>();
        g.getPopulation().forEach(p -> out.put(p.getCode().getCodingFirstRep().getCode(), p.getCount()));
        return out;
    }

    @Test
    void hypertensionControlHasRealisticPopulationsAndFilledStrata() {
        MeasureReport r = summary(DemoMeasures.HYPERTENSION_CONTROL, 0, 1_000);
        Map<String, Integer> c = counts(r.getGroupFirstRep());
        assertThat(c.get("initial-population")).as("IP share of 1,000").isBetween(100, 600);
        assertThat(c.get("denominator")).isEqualTo(c.get("initial-population"));
        assertThat(c.get("denominator-exclusion")).isBetween(3, c.get("initial-population") / 10);
        assertThat(r.getGroupFirstRep().getMeasureScore().getValue().doubleValue()).as("control rate")
                .isBetween(0.3, 0.9);
        var ageBands = r.getGroupFirstRep().getStratifier().get(1).getStratum();
        assertThat(ageBands).extracting(s -> s.getValue().getText()).contains("18-44", "45-64", "65+");
        assertThat(ageBands).allSatisfy(s -> assertThat(s.getPopulationFirstRep().getCount()).isGreaterThanOrEqualTo(11));
    }

    @Test
    void ratioCohortAndContinuousVariableMeasuresCountSomething() {
        Map<String, Integer> ratio = counts(summary(DemoMeasures.VISIT_CANCELLATION_RATIO, 0, 1_000).getGroupFirstRep());
        assertThat(ratio.get("denominator")).isGreaterThan(5 * ratio.get("numerator"));
        assertThat(ratio.get("numerator")).isGreaterThanOrEqualTo(20);

        Map<String, Integer> cohort = counts(summary(DemoMeasures.DIABETES_COHORT, 0, 1_000).getGroupFirstRep());
        assertThat(cohort.get("initial-population")).isBetween(50, 300);

        var cv = summary(DemoMeasures.HBA1C_AVERAGE, 0, 1_000).getGroupFirstRep();
        assertThat(counts(cv).get("measure-population")).isBetween(30, cohort.get("initial-population"));
        assertThat(cv.getMeasureScore().getValue().doubleValue()).as("average HbA1c of diabetics").isBetween(6.5, 8.5);
    }

    @Test
    void sitesDifferInCaseMix() {
        int older = counts(summary(DemoMeasures.HYPERTENSION_CONTROL, 1, 400).getGroupFirstRep())
                .get("initial-population");
        int younger = counts(summary(DemoMeasures.HYPERTENSION_CONTROL, 2, 400).getGroupFirstRep())
                .get("initial-population");
        assertThat(older).isGreaterThan(younger + 20);
    }
}
