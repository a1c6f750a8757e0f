package org.concilium.federation.query;

import org.concilium.measure.ContributionBounds;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;

/** This site's local summary evaluation of a Measure over its own data (the measure engine). */
public interface LocalEvaluation {

    /** The Measure with this canonical url (or id) in this site's store. */
    Measure measure(String canonicalOrId);

    /**
     * A summary (population) MeasureReport over all of this site's data, each subject clipped to
     * {@code bounds} first ({@link ContributionBounds#NONE}: exact).
     */
    MeasureReport summary(Measure measure, String periodStart, String periodEnd, ContributionBounds bounds);
}
