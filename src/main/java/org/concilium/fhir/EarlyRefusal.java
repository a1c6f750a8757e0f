package org.concilium.fhir;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.util.UUID;
import org.concilium.security.AuditRecord;
import org.concilium.security.AuditTrail;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Requests refused on the router, before any resource or filter of the FHIR API runs: the answer
 * is still an OperationOutcome with a correlation id, and a refused request to /fhir or
 * /network/fhir is still in the audit trail (as unauthenticated: its token was never checked).
 * Before, these refusals left no AuditEvent.
 *
 * <p>Also refused here: a request without a {@code Host} header (HTTP/1.0, or an HTTP/1.1 client
 * breaking RFC 9112 section 3.2, which says to answer 400). It has no absolute request URI, which
 * the FHIR API needs for its links; it reached the filters and failed there with a 500 that was
 * not audited either.
 */
@ApplicationScoped
public class EarlyRefusal {

    @Inject
    AuditTrail trail;
    @Inject
    BenchmarkWithoutAuthorization withoutAuthorization;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            if (rc.request().authority() == null) { // HTTP/1 Host, HTTP/2 :authority
                refuse(rc, 400, IssueType.INVALID, "the request has no Host header (RFC 9112 section 3.2)");
                return;
            }
            rc.next();
        });
    }

    /**
     * Answers {@code status} with an OperationOutcome and closes the connection, once the refusal is
     * on the audit trail (as every answer of the API; a refusal discloses nothing, so it is sent even
     * when the trail cannot take it).
     */
    void refuse(RoutingContext rc, int status, IssueType type, String message) {
        String id = UUID.randomUUID().toString();
        String oo = FhirFormat.JSON.encode(OperationOutcomes.error(type, message, null, id));
        Runnable answer = () -> rc.response().setStatusCode(status).putHeader("Content-Type", FhirFormat.JSON.mediaType())
                .putHeader("X-Request-Id", id).putHeader("Connection", "close").end(oo);
        AuditRecord r = withoutAuthorization.active() ? null : AccessAudit.recordOf(rc.request().method().name(),
                rc.request().path(), rc.request().query(), queryOf(rc), null, status, message);
        if (r == null) {
            answer.run();
            return;
        }
        io.vertx.core.Context here = io.vertx.core.Vertx.currentContext();
        trail.recorded(r).subscribe().with(ok -> here.runOnContext(v -> answer.run()),
                failed -> here.runOnContext(v -> answer.run()));
    }

    private static MultivaluedHashMap<String, String> queryOf(RoutingContext rc) {
        MultivaluedHashMap<String, String> q = new MultivaluedHashMap<>();
        try {
            rc.queryParams().forEach(e -> q.add(e.getKey(), e.getValue()));
        } catch (RuntimeException undecodable) {
            // the raw query is still recorded
        }
        return q;
    }
}
