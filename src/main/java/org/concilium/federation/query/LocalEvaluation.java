package org.concilium.federation.query;

import org.concilium.layout.ValueSetSource;
import org.concilium.measure.ContributionBounds;
import org.concilium.measure.MeasureModel;
import org.hl7.fhir.r4.model.MeasureReport;

/** This site's local summary evaluation of a Measure over its own data (the measure engine). */
public interface LocalEvaluation {

    /** The model of the Measure with this canonical url (or id) in this site's store. */
    MeasureModel measure(String canonicalOrId);

    /**
     * This site's value sets for layout domains (docs/layout.md), expanded; every node must build the same
     * layout, so every node needs the same value sets (else the fingerprints differ: LAYOUT_MISMATCH).
     */
    default ValueSetSource valueSets() {
        return ValueSetSource.none();
    }

    /**
     * A summary (population) MeasureReport over all of this site's data, each subject clipped to
     * {@code bounds} first ({@link ContributionBounds#NONE}: exact). The model itself goes to the
     * engine: the Measure is neither looked up nor parsed again.
     */
    MeasureReport summary(MeasureModel measure, String periodStart, String periodEnd, ContributionBounds bounds);
}
