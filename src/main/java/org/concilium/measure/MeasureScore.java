package org.concilium.measure;

import java.util.Optional;
import org.concilium.measure.MeasureModel.Group;
import org.concilium.measure.MeasureModel.Population;
import org.concilium.measure.MeasureModel.PopulationType;

/**
 * The one scoring of a group or stratum, for local reports ({@link MeasureReportBuilder}) and for
 * network reports computed from decrypted totals ({@code layout/ReportDecoder}), with
 * cqf-fhir-cr's conventions so that a network report equals the local report of the union of
 * all sites' data. Absent populations count as 0.
 */
public final class MeasureScore {

    private MeasureScore() {
    }

    /**
     * The score of a group (or one of its strata) from its totals: proportion and ratio of counts,
     * a ratio of two observation aggregates when the group observes both its numerator and its
     * denominator, the observation aggregate of a continuous-variable group, none for a cohort;
     * then, when {@code invertDecrease}, the decrease convention ({@link #invertedForDecrease}).
     */
    public static Optional<Double> of(Group g, PopulationTotals totals, boolean invertDecrease) {
        Optional<Double> score = switch (g.scoring()) {
            case PROPORTION -> proportion(count(g, totals, PopulationType.NUMERATOR),
                    count(g, totals, PopulationType.NUMERATOR_EXCLUSION), count(g, totals, PopulationType.DENOMINATOR),
                    count(g, totals, PopulationType.DENOMINATOR_EXCLUSION),
                    count(g, totals, PopulationType.DENOMINATOR_EXCEPTION));
            case RATIO -> ratio(g, totals);
            case CONTINUOUS_VARIABLE -> {
                Population mo = g.first(PopulationType.MEASURE_OBSERVATION);
                yield mo == null ? Optional.empty() : totals.observation(mo);
            }
            case COHORT -> Optional.empty();
        };
        if (invertDecrease && invertedForDecrease(g.scoring(), g.improvementNotation())) {
            score = score.map(MeasureScore::decrease);
        }
        return score;
    }

    /** The measure-observation population that observes the group's population of this type, or null. */
    public static Population observationOf(Group g, PopulationType observed) {
        for (Population p : g.populations()) {
            if (p.type() == PopulationType.MEASURE_OBSERVATION && p.criteriaReference() != null) {
                for (Population target : g.populations()) {
                    if (p.criteriaReference().equals(target.id()) && target.type() == observed) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    private static Optional<Double> ratio(Group g, PopulationTotals totals) {
        Population numObs = observationOf(g, PopulationType.NUMERATOR);
        Population denObs = observationOf(g, PopulationType.DENOMINATOR);
        if (numObs != null && denObs != null) {
            Optional<Double> n = totals.observation(numObs);
            Optional<Double> d = totals.observation(denObs);
            return n.isEmpty() || d.isEmpty() || d.get() == 0.0 ? Optional.empty() : Optional.of(n.get() / d.get());
        }
        return ratio(count(g, totals, PopulationType.NUMERATOR), count(g, totals, PopulationType.NUMERATOR_EXCLUSION),
                count(g, totals, PopulationType.DENOMINATOR), count(g, totals, PopulationType.DENOMINATOR_EXCLUSION));
    }

    private static long count(Group g, PopulationTotals totals, PopulationType type) {
        Population p = g.first(type);
        return p == null ? 0 : totals.count(p);
    }

    /** (NUM − NUMEX) / (DEN − DENEX − DENEXCEP), where DEN still includes its exclusions; none unless the effective denominator is positive. */
    public static Optional<Double> proportion(long num, long numex, long den, long denex, long denexcep) {
        double effectiveDen = den - denex - denexcep;
        return effectiveDen > 0 ? Optional.of((num - numex) / effectiveDen) : Optional.empty();
    }

    /** A ratio of counts: (NUM − NUMEX) / (DEN − DENEX); none unless the denominator is positive. */
    public static Optional<Double> ratio(long num, long numex, long den, long denex) {
        double effectiveDen = den - denex;
        return effectiveDen > 0 ? Optional.of((num - numex) / effectiveDen) : Optional.empty();
    }

    /**
     * improvementNotation = decrease on a proportion group: the report shows 1 − score
     * (cqf-fhir-cr's convention, so that higher is always better); ratio and continuous-variable
     * scores are never inverted.
     */
    public static boolean invertedForDecrease(Scoring scoring, String improvementNotation) {
        return scoring == Scoring.PROPORTION && "decrease".equals(improvementNotation);
    }

    /** The score a report shows under {@link #invertedForDecrease}. */
    public static double decrease(double score) {
        return 1.0 - score;
    }
}
