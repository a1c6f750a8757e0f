package org.concilium.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;
import org.concilium.measure.AggregateMethod;
import org.concilium.measure.Scoring;
import org.junit.jupiter.api.Test;

class MeasureScoringTest {

    @Test
    void proportionRemovesExclusionsAndExceptionsFromTheDenominator() {
        // cqf convention: DEN includes DENEX and DENEXCEP; NUMEX leaves the numerator
        assertEquals(new BigDecimal("0.75"), MeasureScoring.proportion(4, 1, 6, 1, 1).orElseThrow());
        assertEquals(new BigDecimal("0.3333333333333333"), MeasureScoring.proportion(1, 0, 3, 0, 0).orElseThrow());
        assertTrue(MeasureScoring.proportion(0, 0, 5, 3, 2).isEmpty(), "no score without an effective denominator");
        // noisy totals can leave less than nothing: like a local report, no score then
        assertTrue(MeasureScoring.proportion(3, 0, 2, 1, 2).isEmpty(), "no score with a negative denominator");
    }

    @Test
    void continuousVariableAggregatesFromFixedPointSums() {
        assertEquals(new BigDecimal("7.500"), MeasureScoring.continuousVariable(AggregateMethod.SUM, 7_500, 3).orElseThrow());
        assertEquals(0, new BigDecimal("2.5").compareTo(
                MeasureScoring.continuousVariable(AggregateMethod.AVERAGE, 7_500, 3).orElseThrow()));
        assertEquals(new BigDecimal("3"), MeasureScoring.continuousVariable(AggregateMethod.COUNT, 7_500, 3).orElseThrow());
        assertTrue(MeasureScoring.continuousVariable(AggregateMethod.AVERAGE, 0, 0).isEmpty());
        assertEquals(0, new BigDecimal("0.33333333333333333").compareTo(
                MeasureScoring.continuousVariable(AggregateMethod.AVERAGE, 1_000, 3).orElseThrow()));
    }

    @Test
    void cohortHasNoScoreAndRatioUsesCounts() {
        assertTrue(MeasureScoring.score(Scoring.COHORT, null, Map.of("initial-population", 10L), 0, 0).isEmpty());
        assertEquals(new BigDecimal("0.5"), MeasureScoring.score(Scoring.RATIO, null,
                Map.of("numerator", 6L, "numerator-exclusion", 1L, "denominator", 12L, "denominator-exclusion", 2L), 0, 0)
                .orElseThrow());
        // a ratio has no denominator exceptions: the same formula as local reports, (NUM − NUMEX) / (DEN − DENEX)
        assertEquals(new BigDecimal("0.5"), MeasureScoring.score(Scoring.RATIO, null,
                Map.of("numerator", 5L, "denominator", 10L, "denominator-exception", 4L), 0, 0).orElseThrow());
    }

    @Test
    void fixedPointRoundsHalfEvenToThreeDecimals() {
        assertEquals(1_234L, MeasureScoring.toFixedPoint(new BigDecimal("1.2345")));
        assertEquals(1_236L, MeasureScoring.toFixedPoint(new BigDecimal("1.2355")));
        assertEquals(-500L, MeasureScoring.toFixedPoint(new BigDecimal("-0.5")));
        assertEquals(new BigDecimal("1.234"), MeasureScoring.fromFixedPoint(1_234));
    }
}
