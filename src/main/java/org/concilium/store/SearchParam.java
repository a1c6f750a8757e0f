package org.concilium.store;

import java.util.Set;

/**
 * One search parameter this node supports for one resource type, as FHIR R4 defines it.
 * {@code expression} is the FHIRPath that both the CapabilityStatement publishes and the indexer
 * evaluates, so what we advertise is exactly what we index. {@code targets} are the resource
 * types a reference parameter may point at (empty: any).
 */
public record SearchParam(String name, SearchParamType type, String expression, String description,
        Set<String> targets) {

    /** _id and _lastUpdated live in the resource table's own columns, not in an index table. */
    public boolean isResourceColumn() {
        return name.equals("_id") || name.equals("_lastUpdated");
    }
}
