package org.concilium.measure;

import org.hl7.fhir.r4.model.Measure;

/** The one spelling of a Measure's versioned canonical, {@code url|version}, wherever a report or query names it. */
public final class MeasureCanonical {

    private MeasureCanonical() {
    }

    /** {@code url|version}, the url alone without a version (or when it carries one already), null without a url. */
    public static String of(Measure measure) {
        if (!measure.hasUrl()) {
            return null;
        }
        String url = measure.getUrl();
        return measure.hasVersion() && !url.contains("|") ? url + "|" + measure.getVersion() : url;
    }

    /** What a MeasureReport's {@code measure} holds: the canonical, or {@code Measure/id} for a Measure without a url. */
    public static String reference(Measure measure) {
        String canonical = of(measure);
        return canonical != null ? canonical : "Measure/" + measure.getIdElement().getIdPart();
    }
}
