package org.concilium.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up migrations as a real node runs them (target/quarkus-app, an external PostgreSQL named by
 * QUARKUS_DATASOURCE_REACTIVE_URL, so the JDBC URL Flyway needs is derived by the launcher).
 */
class SchemaMigrationIT {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Path RUNNER = Path.of("target/quarkus-app/quarkus-run.jar");

    @Test
    void aMigrationEditedAfterItWasAppliedStopsStartUpNamingTheMigration(@TempDir Path tmp) throws Exception {
        // the database was migrated with a V1 that differs from the one the node ships
        Path edited = tmp.resolve("edited");
        Files.createDirectories(edited);
        try (var files = Files.list(MIGRATIONS)) {
            for (Path f : files.toList()) {
                Files.copy(f, edited.resolve(f.getFileName()));
            }
        }
        Files.writeString(edited.resolve("V1__resources.sql"), "\n-- an edit after release\n",
                java.nio.file.StandardOpenOption.APPEND);
        try (EmbeddedDatabase db = EmbeddedDatabase.start(tmp.resolve("postgres"))) {
            Flyway.configure().dataSource(jdbc(db), "postgres", "postgres")
                    .locations("filesystem:" + edited.toAbsolutePath()).load().migrate();

            Process node = startNode(db, tmp);
            assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("the node stops by itself").isTrue();
            String log = Files.readString(tmp.resolve("node.log"));
            assertThat(node.exitValue()).as(log).isNotZero();
            assertThat(log).contains("Migration checksum mismatch for migration version 1");
        }
    }

    @Test
    void aDatabaseMigratedByTheOldRunnerIsBaselinedAndStarts(@TempDir Path tmp) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(tmp.resolve("postgres"))) {
            // what the hand-written runner left: V1..V4 applied, recorded in schema_version
            try (Connection c = DriverManager.getConnection(jdbc(db), "postgres", "postgres");
                    var s = c.createStatement()) {
                s.execute("CREATE TABLE schema_version (version integer PRIMARY KEY, name text NOT NULL,"
                        + " applied_at timestamptz NOT NULL DEFAULT now())");
                for (String name : List.of("V1__resources.sql", "V2__network.sql", "V3__privacy_ledger.sql",
                        "V4__network_async.sql")) {
                    s.execute(Files.readString(MIGRATIONS.resolve(name)));
                    s.execute("INSERT INTO schema_version (version, name) VALUES (" + name.charAt(1) + ", '" + name
                            + "')");
                }
            }
            Process node = startNode(db, tmp);
            try {
                awaitLive(node, tmp);
            } finally {
                node.destroy();
                node.waitFor(30, TimeUnit.SECONDS);
            }
            try (Connection c = DriverManager.getConnection(jdbc(db), "postgres", "postgres");
                    var rows = c.createStatement().executeQuery(
                            "SELECT version, type FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("4");
                assertThat(rows.getString(2)).isEqualTo("BASELINE");
            }
        }
    }

    private static String jdbc(EmbeddedDatabase db) {
        return DatabaseUrls.jdbcFromReactive(db.reactiveUrl());
    }

    private static Process startNode(EmbeddedDatabase db, Path tmp) throws IOException {
        assertThat(RUNNER).as("run after the package phase").exists();
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", RUNNER.toString(), "serve",
                "--port", "0", "--data", tmp.resolve("node").toString());
        pb.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", db.reactiveUrl());
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        return pb.redirectErrorStream(true).redirectOutput(tmp.resolve("node.log").toFile()).start();
    }

    /** The node logs its port (0 = any free one); liveness answers once start-up, migrations included, is done. */
    private static void awaitLive(Process node, Path tmp) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        var listening = java.util.regex.Pattern.compile("Listening on: (http://[^\\s]+)");
        while (System.nanoTime() < deadline) {
            String log = Files.readString(tmp.resolve("node.log"));
            assertThat(node.isAlive()).as(log).isTrue();
            var m = listening.matcher(log);
            if (m.find()) {
                var r = http.send(HttpRequest.newBuilder(URI.create(m.group(1) + "/q/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the node did not start: " + Files.readString(tmp.resolve("node.log")));
    }
}
