package org.concilium.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The formulas of the one scoring, with the cqf-fhir-cr conventions local and network reports share. */
class MeasureScoreTest {

    @Test
    void proportionRemovesExclusionsAndExceptionsFromTheDenominator() {
        // cqf convention: DEN includes DENEX and DENEXCEP; NUMEX leaves the numerator
        assertThat(MeasureScore.proportion(4, 1, 6, 1, 1)).contains(0.75);
        assertThat(MeasureScore.proportion(1, 0, 3, 0, 0)).contains(1 / 3.0);
        assertThat(MeasureScore.proportion(0, 0, 5, 3, 2)).as("no score without an effective denominator").isEmpty();
        // noisy totals can leave less than nothing: no score then
        assertThat(MeasureScore.proportion(3, 0, 2, 1, 2)).as("no score with a negative denominator").isEmpty();
    }

    @Test
    void ratioHasNoDenominatorExceptions() {
        assertThat(MeasureScore.ratio(6, 1, 12, 2)).contains(0.5);
        assertThat(MeasureScore.ratio(5, 0, 0, 0)).isEmpty();
    }

    @Test
    void onlyADecreaseProportionIsInverted() {
        assertThat(MeasureScore.invertedForDecrease(Scoring.PROPORTION, "decrease")).isTrue();
        assertThat(MeasureScore.invertedForDecrease(Scoring.PROPORTION, "increase")).isFalse();
        assertThat(MeasureScore.invertedForDecrease(Scoring.RATIO, "decrease")).isFalse();
        assertThat(MeasureScore.invertedForDecrease(Scoring.CONTINUOUS_VARIABLE, "decrease")).isFalse();
    }
}
