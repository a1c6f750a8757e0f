package org.concilium.layout;

import static org.concilium.layout.PopulationCodes.DENOMINATOR;
import static org.concilium.layout.PopulationCodes.DENOMINATOR_EXCEPTION;
import static org.concilium.layout.PopulationCodes.DENOMINATOR_EXCLUSION;
import static org.concilium.layout.PopulationCodes.MEASURE_OBSERVATION;
import static org.concilium.layout.PopulationCodes.MEASURE_POPULATION;
import static org.concilium.layout.PopulationCodes.MEASURE_POPULATION_EXCLUSION;
import static org.concilium.layout.PopulationCodes.NUMERATOR;
import static org.concilium.layout.PopulationCodes.NUMERATOR_EXCLUSION;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.concilium.measure.AggregateMethod;
import org.concilium.measure.MeasureScore;
import org.concilium.measure.Scoring;

/**
 * Scores computed from network totals after decryption, through the same {@link MeasureScore} the local
 * reports use, so that a network report equals the local report of the union of all sites' data:
 * <ul>
 *   <li>proportion {@code (NUM - NUMEX) / (DEN - DENEX - DENEXCEP)}, ratio {@code (NUM - NUMEX) / (DEN - DENEX)},
 *       in double precision, where DEN still includes its exclusions; no score unless the denominator is positive;</li>
 *   <li>continuous variable: sum, average ({@code sum / count}, 17 significant digits, half-up) or count of
 *       the observations; no score without observations (except count);</li>
 *   <li>cohort: no score.</li>
 * </ul>
 * Absent populations count as 0. Improvement notation does not change the score.
 */
public final class MeasureScoring {
    static final MathContext DIVISION = new MathContext(17, RoundingMode.HALF_UP);

    private MeasureScoring() {}

    public static Optional<BigDecimal> proportion(long num, long numex, long den, long denex, long denexcep) {
        return MeasureScore.proportion(num, numex, den, denex, denexcep).map(BigDecimal::valueOf);
    }

    /**
     * Continuous-variable aggregate from a fixed-point sum ({@link MeasureLayout#OBSERVATION_SCALE}) and the
     * number of observations.
     */
    public static Optional<BigDecimal> continuousVariable(AggregateMethod method, long scaledSum, long count) {
        BigDecimal sum = fromFixedPoint(scaledSum);
        return switch (method) {
            case COUNT -> Optional.of(BigDecimal.valueOf(Math.max(0, count)));
            case SUM -> count > 0 ? Optional.of(sum) : Optional.empty();
            case AVERAGE -> count > 0 ? Optional.of(sum.divide(BigDecimal.valueOf(count), DIVISION)) : Optional.empty();
            // LayoutBuilder refuses these for network queries: they are not sums
            case MIN, MAX, MEDIAN -> throw new LayoutException(method.code() + " cannot be computed from network sums");
        };
    }

    /** Score of a group or stratum given its population counts by population code. */
    public static Optional<BigDecimal> score(Scoring scoring, AggregateMethod method,
            Map<String, Long> countsByCode, long scaledSum, long observationCount) {
        return switch (scoring) {
            case PROPORTION -> proportion(
                    c(countsByCode, NUMERATOR), c(countsByCode, NUMERATOR_EXCLUSION), c(countsByCode, DENOMINATOR),
                    c(countsByCode, DENOMINATOR_EXCLUSION), c(countsByCode, DENOMINATOR_EXCEPTION));
            case RATIO -> MeasureScore.ratio(c(countsByCode, NUMERATOR), c(countsByCode, NUMERATOR_EXCLUSION),
                    c(countsByCode, DENOMINATOR), c(countsByCode, DENOMINATOR_EXCLUSION)).map(BigDecimal::valueOf);
            case CONTINUOUS_VARIABLE -> continuousVariable(method, scaledSum, observationCount);
            case COHORT -> Optional.empty();
        };
    }

    /** Population codes a score is computed from: a score must be withheld when any of them is withheld. */
    public static Set<String> dependencies(Scoring scoring) {
        return switch (scoring) {
            case PROPORTION, RATIO -> Set.of(NUMERATOR, NUMERATOR_EXCLUSION, DENOMINATOR, DENOMINATOR_EXCLUSION,
                    DENOMINATOR_EXCEPTION);
            case CONTINUOUS_VARIABLE -> Set.of(MEASURE_POPULATION, MEASURE_POPULATION_EXCLUSION, MEASURE_OBSERVATION);
            case COHORT -> Set.of();
        };
    }

    public static BigDecimal fromFixedPoint(long scaled) {
        return BigDecimal.valueOf(scaled, 3);
    }

    public static long toFixedPoint(BigDecimal value) {
        try {
            return value.movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        } catch (ArithmeticException e) {
            throw new LayoutException("observation value out of range for fixed point: " + value);
        }
    }

    private static long c(Map<String, Long> m, String code) {
        return m.getOrDefault(code, 0L);
    }
}
