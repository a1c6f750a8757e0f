package org.concilium.measure.conformance;

import java.util.Map;
import java.util.function.Supplier;
import org.concilium.measure.ClinicalData;

/**
 * One test case of a measure package: which Measure, for whom and when, what the package says
 * the result is ({@code expected}: population code → count, plus {@link #SCORE}), and the data.
 *
 * @param measure   Measure reference as {@code $evaluate-measure} takes it (canonical, Measure/id or id)
 * @param label     the measure's name in the table
 * @param name      the case's name (its folder, or the expected report's subject)
 * @param subject   {@code Patient/x}, {@code Group/x}, or null for a population report
 * @param source    where the expectation comes from (a MeasureReport file, a table row, the case name)
 */
public record ConformanceCase(String measure, String label, String name, String subject, String periodStart,
        String periodEnd, Map<String, Double> expected, String source, Supplier<ClinicalData> data) {

    /** The key of the expected measure score in {@link #expected}. */
    public static final String SCORE = "measure-score";
}
