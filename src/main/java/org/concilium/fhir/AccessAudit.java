package org.concilium.fhir;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.annotation.Annotation;
import java.time.Instant;
import java.util.Set;
import org.concilium.security.AuditRecord;
import org.concilium.security.AuditTrail;
import org.concilium.security.Caller;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every answered request to /fhir and /network/fhir, refused ones included, goes to the audit
 * trail before its answer leaves: who, what, the outcome and the patient when the request names one. The discovery
 * endpoints (metadata, SMART configuration) are not recorded; the token endpoint is not a FHIR base.
 */
public class AccessAudit {

    private static final Logger LOG = Logger.getLogger(AccessAudit.class);

    @Inject
    AuditTrail trail;
    @Inject
    RequestCaller caller;
    @Inject
    BenchmarkWithoutAuthorization withoutAuthorization;
    @Inject
    AuditNote note;

    /** The answer waits until its access is committed to the audit trail (write-ahead; see {@link AuditTrail}). */
    @ServerResponseFilter
    public Uni<Void> record(ContainerRequestContext request, ContainerResponseContext response) {
        if (withoutAuthorization.active()) {
            return Uni.createFrom().voidItem();
        }
        String path = request.getUriInfo().getPath();
        if (path.equals(SIGN_IN) && request.getMethod().equals("POST")) {
            return recordSignIn(path, response);
        }
        String method = request.getMethod();
        AuditRecord r = recordOf(method, path, request.getUriInfo().getRequestUri().getRawQuery(),
                request.getUriInfo().getQueryParameters(), caller.peek(), response.getStatus(), note.get());
        if (r == null) {
            return Uni.createFrom().voidItem();
        }
        boolean disclosesOnly = disclosesOnly(method, r.interaction(), segments(path));
        return trail.recorded(r).onFailure().recoverWithItem(e -> {
            unaudited(response, disclosesOnly, method + " " + path, e);
            return null;
        });
    }

    /** The path's segments after the FHIR base. */
    private static String[] segments(String path) {
        boolean network = path.startsWith("/network/fhir");
        return path.substring(network ? "/network/fhir".length() : "/fhir".length()).replaceFirst("^/", "").split("/");
    }

    /**
     * The audit record of a request to /fhir or /network/fhir, or null for a path the trail does not
     * cover. Also used for requests refused before they reach a resource ({@link EarlyRefusal}).
     */
    static AuditRecord recordOf(String method, String path, String rawQuery, MultivaluedMap<String, String> q,
            Caller c, int status, String note) {
        boolean network = path.startsWith("/network/fhir");
        if (BearerAuthentication.PUBLIC.contains(path) || !(network || path.startsWith("/fhir"))) {
            return null;
        }
        String[] s = segments(path);
        String type = s.length > 0 && !s[0].isEmpty() && Character.isUpperCase(s[0].charAt(0)) ? s[0] : null;
        String id = s.length > 1 && !s[1].startsWith("$") && !s[1].startsWith("_") ? s[1] : null;
        String interaction = interaction(method, s, type, id);
        String patient = "Patient".equals(type) && id != null ? "Patient/" + id : patientOf(q);
        String detail = network && interaction.equals("operation") ? "network query as querier "
                + (c == null ? "-" : c.clientId()) + ", measure " + (s.length > 1 && !s[1].startsWith("$") ? s[1]
                : q.getFirst("measure")) + ", period " + q.getFirst("periodStart") + ".." + q.getFirst("periodEnd")
                : note;
        return new AuditRecord(Instant.now(), c == null ? null : c.clientId(), interaction, method, path, type, id,
                rawQuery, patient, status, detail);
    }

    /**
     * The audit trail could not record this access. An answer that only discloses (a read, a search,
     * a read-only operation) has not been given yet: it is withheld (503), so nothing is disclosed
     * unaudited. An answer to a write stands: the write is committed, and a 503 would invite a
     * retry that repeats it; the failure is logged at ERROR for the operators.
     */
    private static void unaudited(ContainerResponseContext response, boolean disclosesOnly, String what, Throwable e) {
        LOG.errorf("access not audited (%s): %s; %s", what, e.getMessage(),
                disclosesOnly ? "the answer was withheld (503)" : "the write's answer was sent");
        if (disclosesOnly) {
            response.getHeaders().clear();
            response.setStatus(503);
            response.getHeaders().putSingle("Retry-After", "5");
            response.setEntity(FhirJson.encode(OperationOutcomes.error(IssueType.TRANSIENT,
                    "the access could not be recorded in the audit trail, so the answer is withheld; retry later",
                    null, null)), new Annotation[0], MediaType.valueOf("application/fhir+json"));
        }
    }

    /**
     * Operations that change something here when called other than by GET (a job started or cancelled,
     * data submitted): their answer stands when the trail refuses the record. Every other operation only
     * discloses, so one added later is withheld unaudited unless it is named here: the default fails closed.
     */
    private static final Set<String> WRITING_OPERATIONS = Set.of("$import", "$submit-data", "$export",
            "$export-status", "$import-status");

    /** True for an answer that discloses and changes nothing here. */
    static boolean disclosesOnly(String method, String interaction, String[] segments) {
        if (method.equals("GET") || method.equals("HEAD") || interaction.equals("search-type")) {
            return true;
        }
        if (interaction.equals("operation")) {
            for (String part : segments) {
                if (part.startsWith("$")) {
                    return !WRITING_OPERATIONS.contains(part);
                }
            }
        }
        return false;
    }

    /**
     * A dashboard sign-in, granted or refused (DCM 110114 User Authentication): who signed in is
     * known from the answer only when it succeeded; a refused attempt records no name (the name
     * typed may be a password typed in the wrong field).
     */
    private Uni<Void> recordSignIn(String path, ContainerResponseContext response) {
        String user = null;
        if (response.getStatus() == 200 && response.getEntity() instanceof String body) {
            java.util.regex.Matcher m = SIGNED_IN.matcher(body);
            user = m.find() ? "ui:" + m.group(1) : null;
        }
        return trail.recorded(new AuditRecord(Instant.now(), user, AuditTrail.LOGIN, "POST", path, null, null, null,
                null, response.getStatus(), response.getStatus() == 200 ? "dashboard sign-in" : "dashboard sign-in refused"))
                .onFailure().recoverWithItem(e -> {
                    // a sign-in's session cookie must not be handed out unaudited either
                    unaudited(response, response.getStatus() == 200, "POST " + path, e);
                    return null;
                });
    }

    private static final String SIGN_IN = "/ui/api/session";
    private static final java.util.regex.Pattern SIGNED_IN = java.util.regex.Pattern.compile("\"name\":\"([A-Za-z0-9._@-]{1,64})\"");

    private static String interaction(String method, String[] s, String type, String id) {
        for (String part : s) {
            if (part.startsWith("$")) {
                return "operation";
            }
        }
        if (type == null) {
            return method.equals("POST") ? "transaction" : "read";
        }
        if (s.length >= 3 && s[2].equals("_history")) {
            return s.length == 4 ? "vread" : "history-instance";
        }
        if (id == null) {
            return method.equals("POST") && !(s.length > 1 && s[1].equals("_search")) ? "create" : "search-type";
        }
        return switch (method) {
            case "PUT" -> "update";
            case "DELETE" -> "delete";
            default -> "read";
        };
    }

    private static String patientOf(MultivaluedMap<String, String> q) {
        for (String name : new String[] {"patient", "subject"}) {
            String v = q.getFirst(name);
            if (v != null && !v.isBlank() && !v.contains(",")) {
                String[] parts = v.split("/");
                return parts.length >= 2 && parts[parts.length - 2].equals("Patient")
                        ? "Patient/" + parts[parts.length - 1] : v.contains("/") ? null : "Patient/" + v;
            }
        }
        return null;
    }
}
