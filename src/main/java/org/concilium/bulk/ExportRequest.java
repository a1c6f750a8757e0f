package org.concilium.bulk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code $export} kick-off asked for, after the HTTP layer checked it: the types (already
 * limited to what the caller may read), {@code _since}, the patients whose compartments are exported
 * ({@code null}: system level; empty: every patient; else a Group's members) and, per type, the
 * {@code _typeFilter} queries (any match is exported). Kept as JSON in the job's row, so that any
 * replica can run it again after the one running it stopped.
 */
public record ExportRequest(String owner, String requestUrl, List<String> types, Instant since,
        List<String> patients, Map<String, List<Map<String, List<String>>>> typeFilters) {

    private static final ObjectMapper JSON = new ObjectMapper();

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("owner", owner);
        m.put("requestUrl", requestUrl);
        m.put("types", types);
        m.put("since", since == null ? null : since.toString());
        m.put("patients", patients);
        m.put("typeFilters", typeFilters);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ExportRequest fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return new ExportRequest(n.path("owner").asText(), n.path("requestUrl").asText(),
                    JSON.convertValue(n.get("types"), new TypeReference<List<String>>() { }),
                    n.path("since").isNull() || n.path("since").isMissingNode() ? null
                            : Instant.parse(n.path("since").asText()),
                    n.path("patients").isNull() || n.path("patients").isMissingNode() ? null
                            : JSON.convertValue(n.get("patients"), new TypeReference<List<String>>() { }),
                    JSON.convertValue(n.get("typeFilters"),
                            new TypeReference<Map<String, List<Map<String, List<String>>>>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an export's stored request is unreadable", e);
        }
    }
}
