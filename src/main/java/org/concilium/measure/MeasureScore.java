package org.concilium.measure;

import java.util.Optional;

/**
 * The one scoring of count-based groups, for local reports ({@link MeasureReportBuilder}) and for
 * network reports computed from decrypted totals ({@code layout/MeasureScoring}), with
 * cqf-fhir-cr's conventions so that a network report equals the local report of the union of
 * all sites' data. Absent populations count as 0.
 */
public final class MeasureScore {

    private MeasureScore() {
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
