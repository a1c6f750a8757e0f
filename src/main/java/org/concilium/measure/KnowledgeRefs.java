package org.concilium.measure;

import java.util.Optional;
import org.hl7.fhir.r4.model.MetadataResource;

/** Resolves the reference forms a Measure uses for its artifacts: canonical[|version], Type/id, or a bare id. */
final class KnowledgeRefs {
    private KnowledgeRefs() {}

    static <T extends MetadataResource> Optional<T> resolve(ClinicalData data, Class<T> type, String ref) {
        if (ref == null || ref.isBlank()) {
            return Optional.empty();
        }
        String typeName = type.getSimpleName();
        if (ref.contains("://") || ref.startsWith("urn:")) {
            int bar = ref.indexOf('|');
            String url = bar < 0 ? ref : ref.substring(0, bar);
            String version = bar < 0 ? null : ref.substring(bar + 1);
            Optional<T> found = data.byCanonical(type, url, version);
            if (found.isPresent()) {
                return found;
            }
            // tolerate http://host/base/Type/id style literal references
            int idx = url.lastIndexOf("/" + typeName + "/");
            if (idx >= 0) {
                return data.read(typeName, url.substring(idx + typeName.length() + 2)).map(type::cast);
            }
            return Optional.empty();
        }
        String id = ref.startsWith(typeName + "/") ? ref.substring(typeName.length() + 1) : ref;
        int history = id.indexOf("/_history");
        if (history >= 0) {
            id = id.substring(0, history);
        }
        return data.read(typeName, id).map(type::cast);
    }
}
