package org.concilium.cli;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.concilium.store.EmbeddedDatabase;
import org.concilium.store.DatabaseUrls;
import org.flywaydb.core.Flyway;

/**
 * A site's database for administration commands, whether or not its node runs: the external
 * PostgreSQL named by QUARKUS_DATASOURCE_REACTIVE_URL; else the node's running embedded server
 * (its port is in DIR/postgres/postmaster.pid); else the embedded server started just for the
 * command and stopped after it. A fresh DIR gets the node's schema first (Flyway, as at start-up).
 */
final class SiteDatabase implements AutoCloseable {

    private final Vertx vertx;
    private final Pool pool;
    private final EmbeddedDatabase started;

    private SiteDatabase(Vertx vertx, Pool pool, EmbeddedDatabase started) {
        this.vertx = vertx;
        this.pool = pool;
        this.started = started;
    }

    static SiteDatabase open(Path dataDir) {
        return open(dataDir, System::getenv);
    }

    /** As {@link #open(Path)}, reading the QUARKUS_DATASOURCE_* variables from {@code env} (tests pass a map). */
    static SiteDatabase open(Path dataDir, java.util.function.UnaryOperator<String> env) {
        String external = env.apply("QUARKUS_DATASOURCE_REACTIVE_URL");
        PgConnectOptions options;
        String reactiveUrl;
        EmbeddedDatabase started = null;
        if (external != null && !external.isBlank()) {
            reactiveUrl = external;
            // credentials in the URL (CloudNativePG's uri) stand unless the variables are set
            options = PgConnectOptions.fromUri(external.replaceFirst("^vertx-reactive:", ""));
            String user = orEmpty(env.apply("QUARKUS_DATASOURCE_USERNAME"));
            String password = orEmpty(env.apply("QUARKUS_DATASOURCE_PASSWORD"));
            if (!user.isEmpty() || options.getUser() == null || options.getUser().isEmpty()) {
                options.setUser(user.isEmpty() ? "postgres" : user);
            }
            if (!password.isEmpty()) {
                options.setPassword(password);
            }
        } else {
            Path pg = dataDir.toAbsolutePath().resolve("postgres");
            Integer port = runningPort(pg);
            if (port == null) {
                started = EmbeddedDatabase.start(pg);
                reactiveUrl = started.reactiveUrl();
            } else {
                reactiveUrl = "postgresql://localhost:" + port + "/postgres";
            }
            options = PgConnectOptions.fromUri(reactiveUrl).setUser("postgres").setPassword("postgres");
        }
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().connectingTo(options).with(new PoolOptions().setMaxSize(2)).using(vertx).build();
        SiteDatabase db = new SiteDatabase(vertx, pool, started);
        try {
            if (!exists(pool, "flyway_schema_history")) {
                // a site whose node never started: create its schema as the node would
                String jdbc = env.apply("QUARKUS_DATASOURCE_JDBC_URL");
                // credentials as resolved above (a URL's password would override a variable's in JDBC)
                String withoutCredentials = reactiveUrl.replaceFirst("//[^/?@]*@", "//");
                Flyway.configure().dataSource(jdbc != null && !jdbc.isBlank() ? jdbc
                        : DatabaseUrls.jdbcFromReactive(withoutCredentials), options.getUser(), options.getPassword())
                        .locations("classpath:db/migration").load().migrate();
            }
            if (!exists(pool, "auth_client")) {
                throw new IllegalStateException("the database of " + dataDir + " has no client registry yet:"
                        + " start its node once (bin/concilium serve --data " + dataDir + ") and try again");
            }
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private static boolean exists(Pool pool, String table) {
        return pool.preparedQuery("SELECT to_regclass($1) IS NOT NULL").execute(Tuple.of(table)).await()
                .atMost(Duration.ofSeconds(30)).iterator().next().getBoolean(0);
    }

    /** The port of the embedded server a running node holds, or null when none runs. */
    private static Integer runningPort(Path pg) {
        Path pidFile = pg.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4 || !lines.get(0).strip().matches("\\d+") || !lines.get(3).strip().matches("\\d+")) {
                return null;
            }
            boolean alive = ProcessHandle.of(Long.parseLong(lines.get(0).strip())).map(ProcessHandle::isAlive)
                    .orElse(false);
            return alive ? Integer.valueOf(lines.get(3).strip()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String orEmpty(String v) {
        return v == null || v.isBlank() ? "" : v;
    }

    Pool pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        if (started != null) {
            started.close();
        }
    }
}
