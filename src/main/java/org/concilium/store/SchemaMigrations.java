package org.concilium.store;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Versioned schema migrations, applied in order at start-up. An advisory lock serialises
 * replicas of one site that start together; applied versions are recorded and never re-run.
 * Runs before every other start-up observer (priority 10), which may need the schema.
 */
@ApplicationScoped
public class SchemaMigrations {

    /** Every migration in order. A new schema change is a new file appended here, never an edit. */
    static final List<String> MIGRATIONS = List.of("V1__resources.sql", "V2__network.sql", "V3__privacy_ledger.sql",
            "V4__network_async.sql", "V10__commit_reveal.sql",
            "V11__site_ledger.sql");

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class);
    private static final long LOCK_KEY = 0x436f6e63696cL;

    void onStart(@Observes @jakarta.annotation.Priority(10) StartupEvent event, Pool pool) {
        migrate(pool);
    }

    public static void migrate(Pool pool) {
        pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute()
                .flatMap(x -> conn.query("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY,"
                        + " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())").execute())
                .flatMap(x -> conn.query("SELECT version FROM schema_version").execute())
                .flatMap(rows -> {
                    Set<Integer> applied = java.util.stream.StreamSupport.stream(rows.spliterator(), false)
                            .map(r -> r.getInteger(0)).collect(Collectors.toSet());
                    var chain = io.smallrye.mutiny.Uni.createFrom().voidItem();
                    for (String name : MIGRATIONS) {
                        int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
                        if (applied.contains(version)) {
                            continue;
                        }
                        String sql = load(name);
                        chain = chain.flatMap(v -> conn.query(sql).execute())
                                .flatMap(v -> conn.preparedQuery("INSERT INTO schema_version (version, name) VALUES ($1, $2)")
                                        .execute(Tuple.of(version, name)))
                                .invoke(() -> LOG.infof("applied schema migration %s", name))
                                .replaceWithVoid();
                    }
                    return chain;
                })).await().indefinitely();
    }

    private static String load(String name) {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream("/db/migration/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing migration " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
