package org.concilium.fhir;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.time.Instant;
import java.util.Set;
import org.concilium.security.AccessTokens;
import org.concilium.security.NotAuthenticatedException;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every request to /fhir and /network/fhir needs a bearer token, except the few that tell a
 * client how to get one (the CapabilityStatements and the SMART configuration) and the token
 * endpoint itself. Health and metrics are not JAX-RS routes and are configured apart.
 */
public class BearerAuthentication {

    private static final Set<String> PUBLIC = Set.of("/fhir/metadata", "/fhir/.well-known/smart-configuration",
            "/network/fhir/metadata", "/network/fhir/.well-known/smart-configuration", "/auth/token");

    @Inject
    AccessTokens tokens;
    @Inject
    RequestCaller caller;

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (PUBLIC.contains(path)) {
            return;
        }
        String header = request.getHeaderString("Authorization");
        if (header == null || header.isBlank()) {
            throw NotAuthenticatedException.missing();
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new NotAuthenticatedException("only Bearer tokens are accepted");
        }
        caller.set(tokens.verify(header.substring(7).trim(), Instant.now()));
    }
}
