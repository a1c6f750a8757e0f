package org.concilium.measure.deqm;

/**
 * What the DEQM operations say about this site.
 *
 * @param reporterOrganization id of the Organization {@code $care-gaps} names as MeasureReport
 *     reporter and {@code $collect-data} as reporter (DEQM requires one)
 * @param authorOrganization id of the Organization named as the gaps-in-care Composition's author
 * @param siteName the name given to a stand-in Organization when the store has none of that id
 */
public record DeqmSettings(String reporterOrganization, String authorOrganization, String siteName) {

    public DeqmSettings {
        if (reporterOrganization == null || reporterOrganization.isBlank() || reporterOrganization.contains("/")) {
            throw new IllegalArgumentException("the care-gaps reporter must be an Organization id, got " + reporterOrganization);
        }
        if (authorOrganization == null || authorOrganization.isBlank() || authorOrganization.contains("/")) {
            throw new IllegalArgumentException("the care-gaps author must be an Organization id, got " + authorOrganization);
        }
    }
}
