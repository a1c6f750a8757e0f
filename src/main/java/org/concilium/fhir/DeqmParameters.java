package org.concilium.fhir;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

/**
 * A DEQM operation's input parameters from the query string and, for POST, a Parameters body,
 * each name with all its values (DEQM repeats {@code status} and the measure parameters).
 * Unknown names, resource-valued parameters and a repeated single-valued parameter are refused.
 */
final class DeqmParameters {

    private static final Set<String> FORMAT = Set.of("_format", "_pretty");

    private final String operation;
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private DeqmParameters(String operation) {
        this.operation = operation;
    }

    /** {@code single}: names taken at most once; {@code repeatable}: names taken any number of times. */
    static DeqmParameters read(String operation, Set<String> single, Set<String> repeatable,
            MultivaluedMap<String, String> query, String body, String contentType) {
        DeqmParameters out = new DeqmParameters(operation);
        query.forEach((name, vs) -> {
            if (!FORMAT.contains(name)) {
                vs.forEach(v -> out.add(name, v, single, repeatable));
            }
        });
        if (body != null && !body.isBlank()) {
            Resource parsed = FhirFormat.parseBody(body, contentType);
            if (!(parsed instanceof Parameters p)) {
                throw FhirException.invalid(operation + " expects a Parameters resource", parsed.fhirType());
            }
            for (var param : p.getParameter()) {
                if (param.getResource() != null || param.getValue() == null) {
                    throw FhirException.invalid("parameter '" + param.getName() + "' must carry a value", where(param.getName()));
                }
                out.add(param.getName(), param.getValue().primitiveValue(), single, repeatable);
            }
        }
        return out;
    }

    private void add(String name, String value, Set<String> single, Set<String> repeatable) {
        if (!single.contains(name) && !repeatable.contains(name)) {
            throw FhirException.invalid("unknown " + operation + " parameter '" + name + "'", where(name));
        }
        List<String> list = values.computeIfAbsent(name, n -> new ArrayList<>());
        if (single.contains(name) && !list.isEmpty()) {
            throw FhirException.invalid("parameter '" + name + "' given more than once", where(name));
        }
        if (value == null || value.isBlank()) {
            throw FhirException.invalid("parameter '" + name + "' is empty", where(name));
        }
        list.add(value.trim());
    }

    String one(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(0);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    private static String where(String name) {
        return "Parameters.parameter.where(name='" + name + "')";
    }
}
