package org.concilium.measure;

import java.util.Optional;
import org.concilium.measure.MeasureModel.Population;

/**
 * A group's or stratum's evaluated populations as {@link MeasureScore#of} reads them: per-subject
 * tallies at a site ({@code ReportTally}), or decrypted network sums ({@code layout/ReportDecoder}).
 */
public interface PopulationTotals {

    /** The population's count. */
    long count(Population population);

    /** The aggregate (by its own method) of a measure-observation population's observations; empty when there is none. */
    Optional<Double> observation(Population observation);
}
