package org.concilium.store;

import ca.uhn.fhir.context.RuntimeResourceDefinition;
import java.util.Set;

/**
 * Names FHIR R4 defines for searching a type (its SearchParameters and the general result
 * parameters). A defined name the server does not implement is refused, never ignored: only a
 * name FHIR does not know at all may be reported as a warning.
 */
final class KnownParameters {

    private static final Set<String> GENERAL = Set.of("_id", "_lastUpdated", "_tag", "_profile", "_security",
            "_source", "_text", "_content", "_list", "_has", "_type", "_query", "_filter", "_sort", "_count",
            "_include", "_revinclude", "_summary", "_total", "_elements", "_contained", "_containedType", "_offset");

    private KnownParameters() {
    }

    static boolean isDefined(String type, String name) {
        if (GENERAL.contains(name)) {
            return true;
        }
        RuntimeResourceDefinition def = FhirJson.context().getResourceDefinition(type);
        return def.getSearchParam(name) != null;
    }
}
