package org.concilium.security;

import java.time.Instant;
import java.util.Map;

/**
 * One access as the audit trail records it (IHE Basic Audit Log Patterns): who (client id, or null
 * when no valid token was shown), which interaction on what (type, id or the search query), when,
 * the HTTP status, and the patient when the request names one. Never a token or a key.
 * {@code details} are named values of the accessed object (a network query's querier, measure,
 * period, entry node, epsilon spent and contributing sites), recorded as entity details.
 */
public record AuditRecord(Instant at, String clientId, String interaction, String method, String path,
        String resourceType, String resourceId, String query, String patient, int status, String detail,
        Map<String, String> details) {

    public AuditRecord(Instant at, String clientId, String interaction, String method, String path,
            String resourceType, String resourceId, String query, String patient, int status, String detail) {
        this(at, clientId, interaction, method, path, resourceType, resourceId, query, patient, status, detail, Map.of());
    }
}
