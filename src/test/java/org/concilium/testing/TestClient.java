package org.concilium.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;

/**
 * The client every @QuarkusTest acts as: registered with all scopes when the node under test starts
 * ({@link TestClientRegistration}; its private key handed over in a system property, which every
 * class loader of the test JVM sees), and its tokens per node.
 */
public final class TestClient {

    public static final String ID = "test-client";
    public static final String SCOPE = "system/*.cruds concilium/network.query concilium/network.publish";
    private static final String KEY_PROPERTY = "concilium.test.client-key";
    private static final Map<String, AccessTokenSource> SOURCES = new ConcurrentHashMap<>();

    private TestClient() {
    }

    /** Makes the key of the client registered in the node under test known to the tests. */
    static void handOver(ClientKey key) {
        System.setProperty(KEY_PROPERTY, key.privateKey().toJSONString());
    }

    /** The test client's private key of the database started last. */
    public static ClientKey key() {
        String jwk = System.getProperty(KEY_PROPERTY);
        if (jwk == null) {
            throw new IllegalStateException("no test client: EmbeddedPostgresResource has not started");
        }
        try {
            return new ClientKey(com.nimbusds.jose.jwk.JWK.parse(jwk));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tokens of the test client at the node serving {@code fhirBase} (one source per node and key). */
    public static AccessTokenSource tokens(String fhirBase) {
        String jwk = System.getProperty(KEY_PROPERTY);
        return SOURCES.computeIfAbsent(fhirBase + "|" + jwk, k -> new AccessTokenSource(fhirBase, ID, key(), SCOPE));
    }
}
