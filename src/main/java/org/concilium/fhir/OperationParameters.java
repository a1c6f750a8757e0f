package org.concilium.fhir;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

/**
 * The $evaluate-measure input parameters from a query string (GET) or a Parameters body (POST),
 * as strings. Parameters we do not support are refused rather than ignored; endpoint parameters
 * are refused on purpose: the node never fetches URLs a caller hands it.
 */
final class OperationParameters {

    static final Set<String> SUPPORTED = Set.of("measure", "periodStart", "periodEnd", "reportType", "subject",
            "practitioner", "lastReceivedOn", "productLine");
    private static final Set<String> ENDPOINTS = Set.of("dataEndpoint", "contentEndpoint", "terminologyEndpoint");
    private static final Set<String> FORMAT = Set.of("_format", "_pretty");

    private OperationParameters() {
    }

    static Map<String, String> fromQuery(MultivaluedMap<String, String> query) {
        Map<String, String> out = new LinkedHashMap<>();
        query.forEach((name, values) -> {
            if (!FORMAT.contains(name)) {
                put(out, name, values.isEmpty() ? "" : values.get(0), values.size());
            }
        });
        return out;
    }

    static Map<String, String> fromBody(String body, String contentType, MultivaluedMap<String, String> query) {
        Map<String, String> out = fromQuery(query);
        if (body == null || body.isBlank()) {
            return out;
        }
        Resource parsed = FhirFormat.parseBody(body, contentType);
        if (!(parsed instanceof Parameters p)) {
            throw FhirException.invalid("the operation body must be a Parameters resource", parsed.fhirType());
        }
        for (Parameters.ParametersParameterComponent param : p.getParameter()) {
            if (param.getResource() != null) {
                throw FhirException.notSupported("parameter '" + param.getName() + "' carries a resource; only the"
                        + " site's stored content is evaluated");
            }
            String value = param.getValue() == null ? "" : param.getValue().primitiveValue();
            put(out, param.getName(), value, 1);
        }
        return out;
    }

    private static void put(Map<String, String> out, String name, String value, int count) {
        if (ENDPOINTS.contains(name)) {
            throw FhirException.notSupported("'" + name + "' is not accepted: a node never fetches caller-supplied URLs");
        }
        if (!SUPPORTED.contains(name)) {
            throw FhirException.invalid("unknown $evaluate-measure parameter '" + name + "'",
                    "Parameters.parameter.where(name='" + name + "')");
        }
        if (count > 1 || out.containsKey(name)) {
            throw FhirException.invalid("parameter '" + name + "' given more than once",
                    "Parameters.parameter.where(name='" + name + "')");
        }
        out.put(name, value);
    }
}
