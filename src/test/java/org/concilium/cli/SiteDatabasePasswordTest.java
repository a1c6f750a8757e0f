package org.concilium.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import org.concilium.store.EmbeddedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin commands ({@code clients}, {@code users}) open an external site database the way a
 * Kubernetes site names it: CloudNativePG's {@code uri} carries user and password, and
 * QUARKUS_DATASOURCE_PASSWORD may be unset. A real embedded PostgreSQL that checks passwords
 * (scram-sha-256 over TCP) stands in for the managed server. An earlier version overwrote the URL's
 * password with an empty one, and the commands could not connect.
 */
class SiteDatabasePasswordTest {

    private static final String PASSWORD = "url-only-s3cret";

    @TempDir
    static Path dir;
    private static EmbeddedDatabase server;
    private static int port;

    @BeforeAll
    static void serverThatChecksPasswords() throws Exception {
        server = EmbeddedDatabase.start(dir.resolve("postgres"));
        port = Integer.parseInt(Files.readAllLines(dir.resolve("postgres/postmaster.pid")).get(3).strip());
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (var c = DriverManager.getConnection(url + "?user=postgres&password=postgres"); var st = c.createStatement()) {
            st.execute("SET password_encryption = 'scram-sha-256'");
            st.execute("ALTER ROLE postgres PASSWORD '" + PASSWORD + "'");
            String hba;
            try (var rs = st.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = rs.getString(1);
            }
            Files.writeString(Path.of(hba), "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
                    + "host all all ::1/128 scram-sha-256\n");
            st.execute("SELECT pg_reload_conf()");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url + "?user=postgres&password=").close())
                .as("the server checks passwords").hasMessageContaining("password");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void thePasswordOnlyInTheUrlIsUsed() {
        String uri = "postgresql://postgres:" + PASSWORD + "@127.0.0.1:" + port + "/postgres";
        try (SiteDatabase db = SiteDatabase.open(dir.resolve("site"), Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", uri)::get)) {
            // a fresh database gets the node's schema (Flyway, with the URL's credentials) and the registry answers
            long clients = db.pool().query("SELECT count(*) FROM auth_client").execute().await().indefinitely()
                    .iterator().next().getLong(0);
            assertThat(clients).isZero();
        }
    }

    @Test
    void withoutThePasswordTheSameServerRefusesTheCommand() {
        String uri = "postgresql://postgres@127.0.0.1:" + port + "/postgres";
        assertThatThrownBy(() -> SiteDatabase.open(dir.resolve("site"), Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", uri)::get)
                .close()).hasStackTraceContaining("password");
    }

    @Test
    void aPasswordVariableStandsOverTheUrl() {
        String uri = "postgresql://postgres:wrong@127.0.0.1:" + port + "/postgres";
        try (SiteDatabase db = SiteDatabase.open(dir.resolve("site"), Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", uri,
                "QUARKUS_DATASOURCE_PASSWORD", PASSWORD)::get)) {
            assertThat(db.pool().query("SELECT 1").execute().await().indefinitely().size()).isEqualTo(1);
        }
    }
}
