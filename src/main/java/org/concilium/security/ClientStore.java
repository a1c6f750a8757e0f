package org.concilium.security;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client registry table, used by the node and by {@code clients add|list|remove} alike (the
 * command may run while the node runs: a change is announced on {@value #CHANNEL} so the node
 * reloads at once). Blocking calls; only public keys are stored.
 */
public final class ClientStore {

    /** PostgreSQL NOTIFY channel of registry changes. */
    public static final String CHANNEL = "concilium_clients";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;

    public ClientStore(Pool pool) {
        this.pool = pool;
    }

    /** Registers a new client; false when the id is taken (remove it first to replace its keys). */
    public boolean add(ClientRegistration c) {
        int rows = pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO auth_client (client_id, jwks, scope)"
                + " VALUES ($1, $2, $3) ON CONFLICT (client_id) DO NOTHING")
                .execute(Tuple.of(c.clientId(), c.publicKeys().toString(true), c.scope().toString()))
                .call(r -> conn.query("NOTIFY " + CHANNEL).execute())).await().atMost(TIMEOUT).rowCount();
        return rows == 1;
    }

    public boolean remove(String clientId) {
        int rows = pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM auth_client WHERE client_id = $1")
                .execute(Tuple.of(clientId)).call(r -> conn.query("NOTIFY " + CHANNEL).execute()))
                .await().atMost(TIMEOUT).rowCount();
        return rows == 1;
    }

    public Optional<ClientRegistration> find(String clientId) {
        for (Row r : pool.preparedQuery("SELECT client_id, jwks, scope, registered_at FROM auth_client"
                + " WHERE client_id = $1").execute(Tuple.of(clientId)).await().atMost(TIMEOUT)) {
            return Optional.of(registration(r));
        }
        return Optional.empty();
    }

    public List<ClientRegistration> list() {
        List<ClientRegistration> out = new ArrayList<>();
        for (Row r : pool.query("SELECT client_id, jwks, scope, registered_at FROM auth_client ORDER BY client_id")
                .execute().await().atMost(TIMEOUT)) {
            out.add(registration(r));
        }
        return out;
    }

    private static ClientRegistration registration(Row r) {
        return new ClientRegistration(r.getString(0), ClientKeys.parse(r.getString(1)),
                ScopeSet.parseLenient(r.getString(2)), r.getOffsetDateTime(3).toInstant());
    }

    /**
     * Records an assertion's jti; false when this client used it before (a replay). Rows outlive the
     * assertion's own expiry, after which the assertion is refused as expired anyway, and are then purged.
     */
    public boolean firstUseOf(String clientId, String jti, Instant expires) {
        int rows = pool.preparedQuery("INSERT INTO auth_assertion_jti (client_id, jti, expires_at)"
                + " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(clientId, jti, expires.atOffset(ZoneOffset.UTC))).await().atMost(TIMEOUT).rowCount();
        return rows == 1;
    }

    public void purgeExpiredAssertions(Instant before) {
        pool.preparedQuery("DELETE FROM auth_assertion_jti WHERE expires_at < $1")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC))).await().atMost(TIMEOUT);
    }
}
