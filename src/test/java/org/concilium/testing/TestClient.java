package org.concilium.testing;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.concilium.security.ClientKeys;
import org.concilium.security.ClientRegistration;
import org.concilium.security.ClientStore;
import org.concilium.security.ScopeSet;
import org.concilium.store.SchemaMigrations;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;

/**
 * The client every @QuarkusTest acts as: registered with all scopes in the test database when the
 * database starts (its private key handed over in a system property, since the test resource and
 * the tests may live in different class loaders), and its tokens per node.
 */
public final class TestClient {

    public static final String ID = "test-client";
    public static final String SCOPE = "system/*.cruds concilium/network.query concilium/network.publish";
    private static final String KEY_PROPERTY = "concilium.test.client-key";
    private static final Map<String, AccessTokenSource> SOURCES = new ConcurrentHashMap<>();

    private TestClient() {
    }

    /** Migrates the database at {@code reactiveUrl} and registers a fresh test client in it. */
    static void registerIn(String reactiveUrl, String user, String password) {
        ClientKey key = ClientKey.generate();
        register(reactiveUrl, user, password, new ClientRegistration(ID, ClientKeys.parse(key.publicJwks()),
                ScopeSet.parseStrict(SCOPE), Instant.now()));
        System.setProperty(KEY_PROPERTY, key.privateKey().toJSONString());
    }

    static void register(String reactiveUrl, String user, String password, ClientRegistration c) {
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(reactiveUrl).setUser(user)
                .setPassword(password)).using(vertx).build();
        try {
            SchemaMigrations.migrate(pool);
            new ClientStore(pool).add(c);
        } finally {
            pool.closeAndAwait();
            vertx.closeAndAwait();
        }
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
