package org.concilium.fhir;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.time.Instant;
import java.util.Set;
import org.concilium.security.AccessTokens;
import org.concilium.security.NotAuthenticatedException;
import org.concilium.ui.UiSessions;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every request to /fhir and /network/fhir needs a bearer token, except the few that tell a
 * client how to get one (the CapabilityStatements and the SMART configuration) and the token
 * endpoint itself. Health and metrics are not JAX-RS routes and are configured apart.
 */
public class BearerAuthentication {

    static final Set<String> PUBLIC = Set.of("/fhir/metadata", "/fhir/.well-known/smart-configuration",
            "/network/fhir/metadata", "/network/fhir/.well-known/smart-configuration", "/auth/token", "/auth/jwks");

    @Inject
    AccessTokens tokens;
    @Inject
    RequestCaller caller;
    @Inject
    UiSessions sessions;
    @Inject
    BenchmarkWithoutAuthorization withoutAuthorization;

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (PUBLIC.contains(path) || path.startsWith("/ui/api/session")) {
            return; // the sign-in resource checks its own credentials
        }
        if (withoutAuthorization.active()) {
            caller.set(BenchmarkWithoutAuthorization.CALLER);
            return;
        }
        String header = request.getHeaderString("Authorization");
        if ((header == null || header.isBlank()) && request.getCookies().containsKey(UiSessions.COOKIE)) {
            caller.set(dashboardSession(request));
            return;
        }
        if (header == null || header.isBlank()) {
            throw NotAuthenticatedException.missing();
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new NotAuthenticatedException("only Bearer tokens are accepted");
        }
        caller.set(tokens.verify(header.substring(7).trim(), Instant.now()));
    }

    /**
     * A request of the signed-in dashboard (docs/ui.md): the session cookie is the credential, its
     * role's scopes are checked like a token's; the custom header proves the request came from our
     * own scripts, not from a form or link on another site (CSRF).
     */
    private org.concilium.security.Caller dashboardSession(ContainerRequestContext request) {
        String marker = request.getHeaderString(UiSessions.HEADER);
        if (marker == null || marker.isBlank()) {
            throw new NotAuthenticatedException("a request authenticated by the dashboard's session cookie needs the "
                    + UiSessions.HEADER + " header");
        }
        return sessions.find(request.getCookies().get(UiSessions.COOKIE).getValue(), Instant.now()).map(UiSessions::caller)
                .orElseThrow(() -> new NotAuthenticatedException("the dashboard session has ended; sign in again"));
    }
}
