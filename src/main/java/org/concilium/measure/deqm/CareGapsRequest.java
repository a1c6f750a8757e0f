package org.concilium.measure.deqm;

import java.util.List;

/**
 * The {@code Measure/$care-gaps} input as given (strings): the period bounds in any R4 date or
 * dateTime form, one or more gap {@code status} codes, one or more Measures by id, canonical url or
 * identifier, and who: either {@code subject} ({@code Patient/id} or {@code Group/id}) or, for an
 * {@code organization} (with or without a {@code practitioner}), the Patients the caller found
 * attributed to it ({@code attributed}, ids).
 */
public record CareGapsRequest(String periodStart, String periodEnd, String subject, List<String> status,
        List<String> measureId, List<String> measureUrl, List<String> measureIdentifier, List<String> attributed) {

    public CareGapsRequest {
        status = List.copyOf(status);
        measureId = List.copyOf(measureId);
        measureUrl = List.copyOf(measureUrl);
        measureIdentifier = List.copyOf(measureIdentifier);
        attributed = List.copyOf(attributed);
    }

    /** For one Patient or Group subject. */
    public static CareGapsRequest forSubject(String periodStart, String periodEnd, String subject, List<String> status,
            List<String> measureId, List<String> measureUrl, List<String> measureIdentifier) {
        return new CareGapsRequest(periodStart, periodEnd, subject, status, measureId, measureUrl, measureIdentifier,
                List.of());
    }

    /** For the Patients attributed to an organization (and practitioner), found by the caller. */
    public static CareGapsRequest forAttributed(String periodStart, String periodEnd, List<String> patientIds,
            List<String> status, List<String> measureId, List<String> measureUrl, List<String> measureIdentifier) {
        return new CareGapsRequest(periodStart, periodEnd, null, status, measureId, measureUrl, measureIdentifier,
                patientIds);
    }
}
