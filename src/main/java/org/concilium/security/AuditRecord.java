package org.concilium.security;

import java.time.Instant;

/**
 * One access as the audit trail records it (IHE Basic Audit Log Patterns): who (client id, or null
 * when no valid token was shown), which interaction on what (type, id or the search query), when,
 * the HTTP status, and the patient when the request names one. Never a token or a key.
 */
public record AuditRecord(Instant at, String clientId, String interaction, String method, String path,
        String resourceType, String resourceId, String query, String patient, int status, String detail) {
}
