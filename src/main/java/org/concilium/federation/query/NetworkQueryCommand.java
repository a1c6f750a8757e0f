package org.concilium.federation.query;

import java.time.ZoneOffset;
import org.concilium.measure.MeasurementPeriod;

/**
 * A network $evaluate-measure as the entry node admits it: who asks, which Measure, and the
 * measurement period already parsed and checked (R4 date forms, start not after end). Built
 * before any budget is touched, so an invalid request costs nothing (400 / 422).
 */
public record NetworkQueryCommand(String querier, String measureRef, MeasurementPeriod period) {

    public NetworkQueryCommand {
        if (querier == null || querier.isBlank() || measureRef == null || measureRef.isBlank() || period == null) {
            throw new IllegalArgumentException("querier, measure and period are required");
        }
    }

    /**
     * Parses the raw parameters; a malformed or inverted period throws the measure engine's
     * {@code MeasureEvaluationException} (400), exactly as a site would when it evaluates. Sites
     * read dates without an offset in UTC, so the entry node does too.
     */
    public static NetworkQueryCommand parse(String querier, String measureRef, String periodStart, String periodEnd) {
        return new NetworkQueryCommand(querier, measureRef, MeasurementPeriod.parse(periodStart, periodEnd, ZoneOffset.UTC));
    }
}
