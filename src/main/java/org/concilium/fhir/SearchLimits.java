package org.concilium.fhir;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds on what one search may ask of the database, checked before it is parsed: the number of
 * parameters, values OR-ed in one parameter, and {@code _count} / {@code _offset}. A request past a
 * bound is a 400 naming it; {@code _count} above the page size is clamped, as FHIR allows.
 */
@ApplicationScoped
public class SearchLimits {

    @ConfigProperty(name = "concilium.fhir.max-or-values", defaultValue = "100")
    int maxOrValues;
    @ConfigProperty(name = "concilium.fhir.max-search-parameters", defaultValue = "50")
    int maxParameters;
    @ConfigProperty(name = "concilium.fhir.max-offset", defaultValue = "100000")
    int maxOffset;

    void check(Map<String, List<String>> params) {
        int n = params.values().stream().mapToInt(List::size).sum();
        if (n > maxParameters) {
            throw FhirException.badRequest("a search may have at most " + maxParameters + " parameters, got " + n);
        }
        params.forEach((name, values) -> {
            for (String v : values) {
                long or = v.chars().filter(c -> c == ',').count() + 1;
                if (or > maxOrValues) {
                    throw FhirException.badRequest("'" + name + "' ORs " + or + " values; at most " + maxOrValues
                            + " are allowed");
                }
            }
        });
        long count = whole(params, "_count");
        if (count < 0) {
            throw FhirException.badRequest("'_count' may not be negative");
        }
        long offset = whole(params, "_offset");
        if (offset < 0 || offset > maxOffset) {
            throw FhirException.badRequest("'_offset' must be between 0 and " + maxOffset + "; narrow the search"
                    + " instead of paging further");
        }
    }

    /** The parameter as a number, 0 when absent; a non-number is left to the search parser's message. */
    private static long whole(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(v.get(0).trim());
        } catch (NumberFormatException e) {
            if (v.get(0).trim().matches("[+-]?\\d+")) {
                return v.get(0).trim().startsWith("-") ? -1 : Long.MAX_VALUE;
            }
            throw FhirException.badRequest("'" + name + "' must be a whole number, got '" + v.get(0) + "'");
        }
    }
}
