package org.concilium.store;

import java.util.List;
import java.util.Set;

/**
 * One search parameter this node supports for one resource type, as FHIR R4 defines it.
 * {@code expression} is the FHIRPath that both the CapabilityStatement publishes and the indexer
 * evaluates, so what we advertise is exactly what we index. {@code targets} are the resource
 * types a reference parameter may point at (empty: any). {@code components} are a composite's
 * parts (empty for other types).
 */
public record SearchParam(String name, SearchParamType type, String expression, String description,
        Set<String> targets, List<CompositeComponent> components) {

    /** _id and _lastUpdated live in the resource table's own columns, not in an index table. */
    public boolean isResourceColumn() {
        return name.equals("_id") || name.equals("_lastUpdated");
    }
}
