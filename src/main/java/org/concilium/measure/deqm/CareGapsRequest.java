package org.concilium.measure.deqm;

import java.util.List;

/**
 * The {@code Measure/$care-gaps} input as given (strings): the period bounds in any R4 date or
 * dateTime form, {@code subject} as {@code Patient/id} or {@code Group/id}, one or more gap
 * {@code status} codes and one or more Measures by id, canonical url or identifier.
 */
public record CareGapsRequest(String periodStart, String periodEnd, String subject, List<String> status,
        List<String> measureId, List<String> measureUrl, List<String> measureIdentifier) {

    public CareGapsRequest {
        status = List.copyOf(status);
        measureId = List.copyOf(measureId);
        measureUrl = List.copyOf(measureUrl);
        measureIdentifier = List.copyOf(measureIdentifier);
    }
}
