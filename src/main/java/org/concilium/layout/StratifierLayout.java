package org.concilium.layout;

import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * A stratifier in a layout: its components' domains (one, unnamed, for a plain stratifier) and the strata
 * they span (the cross product, then "other" last).
 */
public record StratifierLayout(
        String key,
        String id,
        CodeableConcept code,
        List<String> componentKeys,
        List<ValueDomain> domains,
        List<Stratum> strata) {
    public StratifierLayout {
        componentKeys = List.copyOf(componentKeys);
        domains = List.copyOf(domains);
        strata = List.copyOf(strata);
    }

    public boolean hasComponents() {
        return !componentKeys.isEmpty();
    }

    /** Index of the "other" stratum (always the last). */
    public int otherIndex() {
        return strata.size() - 1;
    }
}
