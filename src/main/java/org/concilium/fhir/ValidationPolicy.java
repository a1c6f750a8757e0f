package org.concilium.fhir;

import java.util.Locale;

/**
 * How strictly incoming resources are checked ({@code concilium.fhir.validation}).
 *
 * <p>{@link #LENIENT} (the default) stores a resource whose only problems are cardinality (e.g. an
 * Encounter without {@code class}, common in EHR extracts and eCQM test decks), unresolvable
 * contained/local references ({@code #cqf-tooling} in published Libraries) or terminology, and
 * reports them as {@code warning} issues: dropping such a resource would silently drop its patient
 * from every measure. What is not parseable R4 is still a 400, and the store's own rules (supported
 * type, id syntax, body type = URL type, resolvable {@code urn:uuid} references) still refuse.
 * {@link #STRICT} refuses those problems as before (400 at parse, 422 for a missing required element).
 */
public enum ValidationPolicy {
    LENIENT,
    STRICT;

    public static ValidationPolicy parse(String value) {
        if (value == null || value.isBlank()) {
            return LENIENT;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("concilium.fhir.validation must be lenient or strict, got " + value);
        }
    }
}
