package org.concilium.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import org.concilium.security.AuditRecord;
import org.concilium.security.AuditTrail;
import org.concilium.security.OAuthException;
import org.concilium.security.TokenService;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The OAuth 2.0 token endpoint of SMART Backend Services (client_credentials + private_key_jwt). */
@Path("/auth/token")
public class TokenEndpointResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TokenEndpointResource.class);

    @Inject
    TokenService service;
    @Inject
    TokenEndpointUrl endpointUrl;
    @Inject
    AuditTrail trail;
    @Context
    UriInfo uri;

    @POST
    @Blocking
    @Consumes("application/x-www-form-urlencoded")
    public Response token(String formBody) {
        TokenService.TokenResponse r;
        try {
            MultivaluedMap<String, String> form = form(formBody);
            r = service.issue(new TokenService.TokenRequest(form.getFirst("grant_type"),
                    form.getFirst("client_assertion_type"), form.getFirst("client_assertion"), form.getFirst("scope")),
                    endpointUrl.accepted(uri));
        } catch (OAuthException e) {
            // refused: no client is authenticated, so none is named; the reason is the error code
            audit(null, e.status(), "token refused: " + e.error());
            throw e;
        }
        issuedOnRecord(r.clientId(), "token issued, scope " + r.scope());
        ObjectNode body = JSON.createObjectNode().put("access_token", r.accessToken()).put("token_type", "bearer")
                .put("expires_in", r.expiresIn()).put("scope", r.scope());
        return noStore(Response.ok(body.toString(), "application/json"));
    }

    private static MultivaluedMap<String, String> form(String body) {
        try {
            return FormBody.parse(body);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("the body is not valid application/x-www-form-urlencoded");
        }
    }

    /**
     * A token leaves only once its issue is on the audit trail (write-ahead, as every FHIR answer):
     * if the trail refuses the record, no token is handed out (503 {@code temporarily_unavailable}).
     */
    private void issuedOnRecord(String clientId, String detail) {
        try {
            trail.recorded(new AuditRecord(Instant.now(), clientId, AuditTrail.LOGIN, "POST", "/auth/token", null, null,
                    null, null, 200, detail)).await().atMost(java.time.Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            LOG.errorf("token for %s not issued: its audit record could not be written (%s)", clientId, e.getMessage());
            throw new OAuthException("temporarily_unavailable", 503,
                    "the token could not be recorded in the audit trail, so none was issued; retry later");
        }
    }

    /** Every token request is an authentication event on the audit trail (never the assertion or the token). */
    private void audit(String clientId, int status, String detail) {
        trail.record(new AuditRecord(Instant.now(), clientId, AuditTrail.LOGIN, "POST", "/auth/token", null, null, null,
                null, status, detail));
    }

    /** RFC 6749 section 5.2: a JSON error object, never an OperationOutcome, never cached. */
    @ServerExceptionMapper
    public Response refused(OAuthException e) {
        ObjectNode body = JSON.createObjectNode().put("error", e.error()).put("error_description", e.getMessage());
        Response.ResponseBuilder b = Response.status(e.status()).entity(body.toString()).type("application/json");
        if (e.status() == 401) {
            b.header("WWW-Authenticate", "Bearer realm=\"concilium\", error=\"" + e.error() + "\"");
        }
        return noStore(b);
    }

    private static Response noStore(Response.ResponseBuilder b) {
        return b.header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }
}
