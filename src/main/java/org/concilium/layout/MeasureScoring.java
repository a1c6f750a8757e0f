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
import java.util.Optional;
import java.util.Set;
import org.concilium.measure.AggregateMethod;
import org.concilium.measure.MeasureScore;
import org.concilium.measure.Scoring;

/**
 * What only the network needs to score: observation aggregates from fixed-point sums, and which
 * populations a score depends on. The scoring itself is the local one, {@link MeasureScore#of}
 * (ReportDecoder calls it), so that a network report equals the local report of the union of all
 * sites' data. Continuous variable from sums: sum, average ({@code sum / count}, 17 significant
 * digits, half-up) or count of the observations; no score without observations (except count).
 */
public final class MeasureScoring {
    static final MathContext DIVISION = new MathContext(17, RoundingMode.HALF_UP);

    private MeasureScoring() {}

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
}
