package org.concilium.measure;

import ca.uhn.fhir.context.FhirContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Measure;

/**
 * The cache behind {@link MeasureModel#of}: one model per Measure version, keyed by its versioned
 * canonical ({@link MeasureCanonical#of}). A Measure edited in place under the same version (or one
 * without a url) is modelled afresh: an entry is reused only for the same content, so a stale model
 * can never score today's Measure. Bounded; cleared when full (models are cheap to rebuild).
 */
final class MeasureModels {

    private static final int MAX_ENTRIES = 512;
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Map<String, Entry> CACHE = new ConcurrentHashMap<>();

    private record Entry(String content, MeasureModel model) {}

    private MeasureModels() {
    }

    static MeasureModel of(Measure measure) {
        String key = MeasureCanonical.of(measure);
        if (key == null) {
            return MeasureModelParser.parse(measure);
        }
        String content = FHIR.newJsonParser().encodeResourceToString(measure);
        Entry hit = CACHE.get(key);
        if (hit != null && hit.content().equals(content)) {
            return hit.model();
        }
        // a copy: the caller may go on changing its instance, the cached model must not change with it
        MeasureModel model = MeasureModelParser.parse(measure.copy());
        if (CACHE.size() >= MAX_ENTRIES) {
            CACHE.clear();
        }
        CACHE.put(key, new Entry(content, model));
        return model;
    }
}
