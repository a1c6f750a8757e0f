package org.concilium.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The token endpoint's logic (SMART Backend Services, client_credentials with private_key_jwt):
 * authenticate the client by its assertion, grant the requested scopes cut down to what it is
 * registered for, and issue a five-minute access token. Blocking (it reads and writes the database).
 */
@ApplicationScoped
public class TokenService {

    public static final String GRANT_TYPE = "client_credentials";
    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** What the endpoint answers: RFC 6749 section 5.1. */
    public record TokenResponse(String clientId, String accessToken, long expiresIn, String scope) {
    }

    /** The form parameters of a token request. */
    public record TokenRequest(String grantType, String assertionType, String assertion, String scope) {
    }

    private final AtomicLong issued = new AtomicLong();

    @Inject
    ClientRegistry registry;
    @Inject
    AccessTokens tokens;

    public TokenResponse issue(TokenRequest request, Collection<String> tokenEndpointUrls) {
        if (request.grantType() == null || request.grantType().isBlank()) {
            throw OAuthException.invalidRequest("grant_type is required");
        }
        if (!GRANT_TYPE.equals(request.grantType())) {
            throw OAuthException.unsupportedGrantType("only grant_type=client_credentials is supported");
        }
        if (!ASSERTION_TYPE.equals(request.assertionType()) || request.assertion() == null
                || request.assertion().isBlank()) {
            throw OAuthException.invalidRequest("client_assertion_type=" + ASSERTION_TYPE
                    + " and a client_assertion (a signed JWT) are required");
        }
        if (request.scope() == null || request.scope().isBlank()) {
            throw OAuthException.invalidRequest("scope is required");
        }
        Instant now = Instant.now();
        ClientRegistration client = new ClientAssertionVerifier(registry::fresh, registry.store()::firstUseOf)
                .verify(request.assertion(), tokenEndpointUrls, now);
        ScopeSet granted = ScopeSet.parseLenient(request.scope()).grantable(client.scope());
        if (granted.isEmpty()) {
            throw OAuthException.invalidScope("none of the requested scopes is granted to this client");
        }
        if (issued.incrementAndGet() % 1000 == 0) {
            registry.purgeExpiredAssertions(now);
        }
        return new TokenResponse(client.clientId(), tokens.issue(client.clientId(), granted, now), AccessTokens.LIFETIME.toSeconds(),
                granted.toString());
    }
}
