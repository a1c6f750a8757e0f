package org.concilium.security;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Table {@code auth_signing_key}: the site's token-signing keys, public JWK in the clear, private
 * JWK sealed. Changes take PostgreSQL's advisory lock, so replicas starting together create one
 * key, not one each. Blocking calls.
 */
final class SigningKeyStore {

    /** One stored key. */
    record StoredKey(String kid, String publicJwk, String sealedPrivate, Instant created) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('concilium_auth_signing_key'))";

    private final Pool pool;

    SigningKeyStore(Pool pool) {
        this.pool = pool;
    }

    List<StoredKey> all() {
        List<StoredKey> out = new ArrayList<>();
        for (Row r : pool.query("SELECT kid, public_jwk, sealed_private, created_at FROM auth_signing_key"
                + " ORDER BY created_at, kid").execute().await().atMost(TIMEOUT)) {
            out.add(new StoredKey(r.getString(0), r.getString(1), r.getString(2), r.getOffsetDateTime(3).toInstant()));
        }
        return out;
    }

    /**
     * Adds {@code fresh} unless a key created after {@code newerThan} exists already (the newest is
     * still young), and deletes the keys superseded before {@code retireBefore} (every token they
     * signed has long expired). True when a key was added.
     */
    boolean addUnlessNewer(Instant newerThan, Supplier<StoredKey> fresh, Instant retireBefore) {
        return pool.withTransaction(conn -> conn.query(LOCK).execute()
                .chain(x -> conn.query("SELECT max(created_at) FROM auth_signing_key").execute())
                .chain(rows -> {
                    OffsetDateTime newest = rows.iterator().next().getOffsetDateTime(0);
                    boolean add = newest == null || !newest.toInstant().isAfter(newerThan);
                    var insert = add ? insert(conn, fresh.get()) : io.smallrye.mutiny.Uni.createFrom().item(0);
                    return insert.chain(n -> conn.preparedQuery("DELETE FROM auth_signing_key k WHERE EXISTS (SELECT 1"
                            + " FROM auth_signing_key n WHERE n.created_at > k.created_at AND n.created_at < $1)")
                            .execute(Tuple.of(retireBefore.atOffset(ZoneOffset.UTC))).replaceWith(add));
                })).await().atMost(TIMEOUT);
    }

    /** Adds a key unconditionally (a forced rotation). */
    void add(StoredKey key) {
        pool.withTransaction(conn -> conn.query(LOCK).execute().chain(x -> insert(conn, key))).await().atMost(TIMEOUT);
    }

    private static io.smallrye.mutiny.Uni<Integer> insert(io.vertx.mutiny.sqlclient.SqlConnection conn, StoredKey k) {
        return conn.preparedQuery("INSERT INTO auth_signing_key (kid, public_jwk, sealed_private, created_at)"
                + " VALUES ($1, $2, $3, $4)").execute(Tuple.of(k.kid(), k.publicJwk(), k.sealedPrivate(),
                        k.created().atOffset(ZoneOffset.UTC))).map(r -> r.rowCount());
    }
}
