package org.concilium.fhir;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.concilium.store.InvalidSearchException;
import org.concilium.store.StoreException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into an OperationOutcome with the right status. Clients see our message
 * and a correlation id; stack traces and driver messages go to the log only.
 */
public class FhirErrorMapper {

    private static final Logger LOG = Logger.getLogger(FhirErrorMapper.class);

    @ServerExceptionMapper
    public Response fhir(FhirException e, HttpHeaders headers, UriInfo uri) {
        Response r = respond(e.status(), e.issueType(), e.getMessage(), e.expression(), headers, uri);
        // a 429 from the FHIR surface is a busy resource that frees in seconds (RFC 6585 suggests Retry-After)
        return e.status() == 429 ? Response.fromResponse(r).header("Retry-After", "5").build() : r;
    }

    @ServerExceptionMapper
    public Response store(StoreException e, HttpHeaders headers, UriInfo uri) {
        return switch (e.reason()) {
            case NOT_FOUND -> respond(404, IssueType.NOTFOUND, e.getMessage(), null, headers, uri);
            case GONE -> respond(410, IssueType.DELETED, e.getMessage(), null, headers, uri);
            case VERSION_CONFLICT -> respond(412, IssueType.CONFLICT, e.getMessage(), null, headers, uri);
            case PRECONDITION_FAILED, MULTIPLE_MATCHES -> respond(412, IssueType.MULTIPLEMATCHES, e.getMessage(), null,
                    headers, uri);
        };
    }

    @ServerExceptionMapper
    public Response search(InvalidSearchException e, HttpHeaders headers, UriInfo uri) {
        return respond(400, IssueType.INVALID, e.getMessage(), null, headers, uri);
    }

    @ServerExceptionMapper
    public Response measure(org.concilium.measure.MeasureEvaluationException e, HttpHeaders headers, UriInfo uri) {
        return respond(e.category().httpStatus(), IssueType.fromCode(e.category().issueType()), e.getMessage(),
                e.location(), headers, uri);
    }

    @ServerExceptionMapper
    public Response notAuthenticated(org.concilium.security.NotAuthenticatedException e, HttpHeaders headers,
            UriInfo uri) {
        Response r = respond(401, IssueType.LOGIN, e.getMessage(), null, headers, uri);
        // RFC 6750 section 3: no error code when no token was sent
        String challenge = e.tokenPresented() ? "Bearer realm=\"concilium\", error=\"invalid_token\"" : "Bearer realm=\"concilium\"";
        return Response.fromResponse(r).header("WWW-Authenticate", challenge).build();
    }

    @ServerExceptionMapper
    public Response insufficientScope(org.concilium.security.InsufficientScopeException e, HttpHeaders headers,
            UriInfo uri) {
        Response r = respond(403, IssueType.FORBIDDEN, e.getMessage(), null, headers, uri);
        return Response.fromResponse(r)
                .header("WWW-Authenticate", "Bearer realm=\"concilium\", error=\"insufficient_scope\"").build();
    }

    @ServerExceptionMapper
    public Response budget(org.concilium.federation.BudgetExhaustedException e, HttpHeaders headers, UriInfo uri) {
        return respond(429, IssueType.THROTTLED, e.getMessage(), null, headers, uri);
    }

    @ServerExceptionMapper
    public Response networkUnavailable(org.concilium.federation.NetworkUnavailableException e, HttpHeaders headers,
            UriInfo uri) {
        return respond(503, IssueType.TRANSIENT, e.getMessage(), null, headers, uri);
    }

    @ServerExceptionMapper
    public Response busy(org.concilium.federation.QueriesBusyException e, HttpHeaders headers, UriInfo uri) {
        Response r = respond(503, IssueType.TRANSIENT, e.getMessage(), null, headers, uri);
        return Response.fromResponse(r).header("Retry-After",
                Integer.toString(org.concilium.federation.QueriesBusyException.RETRY_AFTER_SECONDS)).build();
    }

    @ServerExceptionMapper
    public Response networkQuery(org.concilium.federation.NetworkQueryException e, HttpHeaders headers, UriInfo uri) {
        IssueType type = e.status() == 422 ? IssueType.BUSINESSRULE : e.status() == 504 ? IssueType.TIMEOUT
                : e.status() == 409 ? IssueType.CONFLICT : IssueType.TRANSIENT;
        return respond(e.status(), type, e.getMessage() + " [sites: " + String.join(", ", e.sites()) + "]", null,
                headers, uri);
    }

    /** One issue per refusing site and problem, the site first: the publisher knows where to look. */
    @ServerExceptionMapper
    public Response publicationRefused(org.concilium.federation.query.PublicationRefusedException e,
            HttpHeaders headers, UriInfo uri) {
        String id = UUID.randomUUID().toString();
        LOG.debugf("422 %s: %s (correlation id %s)", uri.getPath(), e.getMessage(), id);
        OperationOutcome oo = new OperationOutcome();
        oo.setId(id);
        e.problems().forEach(p -> oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(IssueType.PROCESSING).setDiagnostics("site " + p.site() + " refused the publication: "
                        + p.text() + "; nothing of it was activated anywhere (correlation id " + id + ")"));
        return build(422, oo, id, headers, uri);
    }

    @ServerExceptionMapper
    public Response peerRefusal(org.concilium.federation.peer.PeerRefusal e, HttpHeaders headers, UriInfo uri) {
        return respond(e.status(), IssueType.BUSINESSRULE, e.getMessage(), null, headers, uri);
    }

    @ServerExceptionMapper
    public Response layout(org.concilium.layout.LayoutException e, HttpHeaders headers, UriInfo uri) {
        return respond(422, IssueType.NOTSUPPORTED, "this measure cannot be evaluated across the network: "
                + e.getMessage(), "Measure", headers, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpHeaders headers, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String message = switch (status) {
            case 404 -> "no such endpoint: " + uri.getPath();
            case 405 -> "this interaction is not supported on " + uri.getPath();
            case 406 -> "only FHIR JSON and XML can be returned";
            case 415 -> "send FHIR as application/fhir+json or application/fhir+xml";
            default -> "the request could not be processed";
        };
        IssueType type = status == 404 ? IssueType.NOTFOUND : status == 405 ? IssueType.NOTSUPPORTED : IssueType.INVALID;
        return respond(status >= 500 ? 400 : status, type, message, null, headers, uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, HttpHeaders headers, UriInfo uri) {
        if (FormBody.isMalformed(e)) { // a form field with a bad %-escape (dashboard sign-in, any form endpoint)
            return respond(400, IssueType.INVALID, "the body is not valid application/x-www-form-urlencoded", null,
                    headers, uri);
        }
        int status = DatabaseFailures.status(e);
        if (status == 409) {
            return respond(409, IssueType.CONFLICT, "a concurrent request changed the same resources; retry",
                    null, headers, uri);
        }
        if (status == 400) {
            return respond(400, IssueType.INVALID, "the request holds a value the database cannot store or compare (text, a date or a number out of range)", null,
                    headers, uri);
        }
        if (status == 503) {
            LOG.warnf("database unavailable: %s", e.toString());
            Response r = respond(503, IssueType.TRANSIENT, "the database is not reachable; retry later", null,
                    headers, uri);
            return Response.fromResponse(r).header("Retry-After", "5").build();
        }
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "internal error, correlation id %s, %s", id, uri.getPath());
        OperationOutcome oo = OperationOutcomes.error(IssueType.EXCEPTION,
                "internal error; the node logged it", null, id);
        return build(500, oo, id, headers, uri);
    }

    static Response respond(int status, IssueType type, String message, String expression, HttpHeaders headers,
            UriInfo uri) {
        String id = UUID.randomUUID().toString();
        LOG.debugf("%d %s: %s (correlation id %s)", status, uri.getPath(), message, id);
        return build(status, OperationOutcomes.error(type, message, expression, id), id, headers, uri);
    }

    private static Response build(int status, OperationOutcome oo, String id, HttpHeaders headers, UriInfo uri) {
        FhirFormat format = FhirFormat.negotiate(headers, uri.getQueryParameters());
        return Response.status(status).type(format.mediaType()).header("X-Request-Id", id).entity(format.encode(oo))
                .build();
    }
}
