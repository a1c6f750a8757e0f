package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.concilium.cli.LocalAdmin;
import org.concilium.cli.NodeProcess;
import org.concilium.security.client.ClientKey;
import org.concilium.store.EmbeddedDatabase;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of one site (two node processes on one external PostgreSQL, one KEK file): an access
 * token issued by the first is accepted by the second, and by the first again after it restarted.
 */
class SharedTokenKeyIT {

    @Test
    void aTokenIsValidOnEveryReplicaAndAcrossARestart() throws Exception {
        Path dir = Files.createTempDirectory("concilium-shared-token-key");
        EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), NodeProcess.freePort());
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", db.reactiveUrl(),
                "QUARKUS_DATASOURCE_USERNAME", "postgres", "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "CONCILIUM_SECURITY_KEK_FILE", dir.resolve("kek").toString());
        int portA = NodeProcess.freePort();
        NodeProcess a = null;
        NodeProcess b = null;
        try {
            a = NodeProcess.start(portA, dir.resolve("a"), List.of(), env);
            b = NodeProcess.start(NodeProcess.freePort(), dir.resolve("b"), List.of(), env);
            a.awaitReady(Duration.ofMinutes(5));
            b.awaitReady(Duration.ofMinutes(5));
            ClientKey key = LocalAdmin.key(dir.resolve("admin"));
            register(db, key);
            String token = LocalAdmin.tokens(a.baseUrl() + "/fhir", key).token();

            assertThat(patients(a.baseUrl(), token)).isEqualTo(200);
            assertThat(patients(b.baseUrl(), token)).as("the other replica accepts the token").isEqualTo(200);
            assertThat(patients(b.baseUrl(), token.substring(0, token.length() - 4) + "AAAA")).isEqualTo(401);

            a.close();
            a = NodeProcess.start(portA, dir.resolve("a"), List.of(), env).awaitReady(Duration.ofMinutes(5));
            assertThat(patients(a.baseUrl(), token)).as("accepted after a restart").isEqualTo(200);
            assertThat(RestAssured.given().get(a.baseUrl() + "/auth/jwks").then().statusCode(200).extract()
                    .<List<?>>path("keys")).hasSize(1);
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            db.close();
        }
    }

    private static int patients(String base, String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).accept("application/fhir+json")
                .get(base + "/fhir/Patient?_count=1").statusCode();
    }

    /** The site's administrator registers the client in the shared database (both replicas see it). */
    private static void register(EmbeddedDatabase db, ClientKey key) {
        var vertx = io.vertx.mutiny.core.Vertx.vertx();
        var pool = io.vertx.mutiny.pgclient.PgBuilder.pool().connectingTo(io.vertx.pgclient.PgConnectOptions
                .fromUri(db.reactiveUrl()).setUser("postgres").setPassword("postgres")).using(vertx).build();
        try {
            new ClientStore(pool).add(new ClientRegistration(LocalAdmin.CLIENT_ID, ClientKeys.parse(key.publicJwks()),
                    ScopeSet.parseStrict(LocalAdmin.SCOPE), Instant.now()));
        } finally {
            pool.closeAndAwait();
            vertx.closeAndAwait();
        }
    }
}
