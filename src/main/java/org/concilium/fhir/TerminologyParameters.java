package org.concilium.fhir;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * The input of one terminology operation, from a query string (GET) or a Parameters body (POST),
 * checked against the names the operation accepts: an unknown name, a repeated one, or a value of
 * the wrong shape is a 400 naming it, never ignored.
 */
final class TerminologyParameters {

    private static final Set<String> FORMAT = Set.of("_format", "_pretty");

    private final String operation;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private TerminologyParameters(String operation) {
        this.operation = operation;
    }

    static TerminologyParameters of(String operation, Set<String> accepted, MultivaluedMap<String, String> query,
            String body, String contentType) {
        TerminologyParameters out = new TerminologyParameters(operation);
        query.forEach((name, list) -> {
            if (!FORMAT.contains(name)) {
                for (String v : list) {
                    out.put(accepted, name, new StringType(v));
                }
            }
        });
        if (body != null && !body.isBlank()) {
            Resource parsed = FhirFormat.parseBody(body, contentType);
            if (!(parsed instanceof Parameters p)) {
                throw FhirException.invalid("the " + operation + " body must be a Parameters resource", parsed.fhirType());
            }
            for (var param : p.getParameter()) {
                Object value = param.getResource() != null ? param.getResource() : param.getValue();
                if (value == null) {
                    throw invalid(operation, param.getName(), "has no value");
                }
                out.put(accepted, param.getName(), value);
            }
        }
        return out;
    }

    private void put(Set<String> accepted, String name, Object value) {
        if (name == null || !accepted.contains(name)) {
            throw FhirException.invalid("unknown " + operation + " parameter '" + name + "' (accepted: "
                    + String.join(", ", accepted.stream().sorted().toList()) + ")", where(name));
        }
        if (values.containsKey(name)) {
            throw invalid(operation, name, "is given more than once");
        }
        values.put(name, value);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** A primitive parameter's text, or null when absent. */
    String string(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Type t) || !t.isPrimitive() || t.primitiveValue() == null || t.primitiveValue().isEmpty()) {
            throw invalid(operation, name, "must be a non-empty primitive value");
        }
        return t.primitiveValue();
    }

    int integer(String name, int absent) {
        String s = string(name);
        if (s == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(s);
            if (n < 0) {
                throw invalid(operation, name, "must not be negative, got " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(operation, name, "must be a whole number, got '" + s + "'");
        }
    }

    boolean bool(String name) {
        String s = string(name);
        if (s == null) {
            return false;
        }
        if (!s.equals("true") && !s.equals("false")) {
            throw invalid(operation, name, "must be true or false, got '" + s + "'");
        }
        return s.equals("true");
    }

    /** A Coding parameter: a Coding in a body, {@code system|code} in a query string. */
    Coding coding(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Coding c) {
            return c;
        }
        String s = string(name);
        int bar = s.indexOf('|');
        if (bar <= 0 || bar == s.length() - 1) {
            throw invalid(operation, name, "must be a Coding (system|code in a query string), got '" + s + "'");
        }
        return new Coding(s.substring(0, bar), s.substring(bar + 1), null);
    }

    List<Coding> codeableConcept(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof CodeableConcept cc)) {
            throw invalid(operation, name, "must be a CodeableConcept");
        }
        List<Coding> out = new ArrayList<>(cc.getCoding());
        if (out.isEmpty()) {
            throw invalid(operation, name, "has no coding");
        }
        return out;
    }

    <T extends Resource> T resource(String name, Class<T> type) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!type.isInstance(v)) {
            throw invalid(operation, name, "must be a " + type.getSimpleName() + " resource");
        }
        return type.cast(v);
    }

    static FhirException invalid(String operation, String name, String problem) {
        return FhirException.invalid(operation + " parameter '" + name + "' " + problem, where(name));
    }

    private static String where(String name) {
        return "Parameters.parameter.where(name='" + name + "')";
    }
}
