package org.concilium.layout;

import java.util.Optional;
import org.hl7.fhir.r4.model.ValueSet;

/** Finds a ValueSet by canonical URL (optionally {@code url|version}) to turn a binding into a value domain. */
@FunctionalInterface
public interface ValueSetSource {
    Optional<ValueSet> find(String canonical);

    static ValueSetSource none() {
        return canonical -> Optional.empty();
    }
}
