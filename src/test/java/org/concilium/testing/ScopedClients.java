package org.concilium.testing;

import io.restassured.RestAssured;
import java.time.Instant;
import java.util.UUID;
import org.concilium.security.ClientKeys;
import org.concilium.security.ClientRegistration;
import org.concilium.security.ClientRegistry;
import org.concilium.security.ScopeSet;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;

/** Clients registered at the @QuarkusTest node with exactly the scopes a test names, as an administrator would. */
public final class ScopedClients {

    private ScopedClients() {
    }

    /** Registers a fresh client holding {@code scope}; returns its Authorization header value (a real token). */
    public static String authorization(ClientRegistry registry, String scope) {
        ClientKey key = ClientKey.generate();
        String id = "client-" + UUID.randomUUID();
        registry.store().add(new ClientRegistration(id, ClientKeys.parse(key.publicJwks()), ScopeSet.parseStrict(scope),
                Instant.now()));
        return new AccessTokenSource("http://localhost:" + RestAssured.port + "/fhir", id, key, scope).authorization();
    }
}
