package org.concilium.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.concilium.measure.AggregateMethod;
import org.junit.jupiter.api.Test;

/** The network-only half of scoring: aggregates from fixed-point sums (the scoring itself: measure/MeasureScoreTest). */
class MeasureScoringTest {

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
    void fixedPointRoundsHalfEvenToThreeDecimals() {
        assertEquals(1_234L, MeasureScoring.toFixedPoint(new BigDecimal("1.2345")));
        assertEquals(1_236L, MeasureScoring.toFixedPoint(new BigDecimal("1.2355")));
        assertEquals(-500L, MeasureScoring.toFixedPoint(new BigDecimal("-0.5")));
        assertEquals(new BigDecimal("1.234"), MeasureScoring.fromFixedPoint(1_234));
    }
}
