package org.concilium.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.concilium.cli.NodeProcess;
import org.junit.jupiter.api.Test;

/**
 * A node on an external PostgreSQL (a second embedded server, started by the test on a fixed
 * port) that stops and comes back: meanwhile the node is not ready and answers 503 with an
 * OperationOutcome quickly, never a 500 or a hang; once the database is back the node serves
 * again, without a restart, and nothing it acknowledged is lost.
 */
class DatabaseOutageIT {

    @Test
    void theNodeAnswers503WhileItsDatabaseIsDownAndRecoversWithoutARestart() throws Exception {
        Path dir = Files.createTempDirectory("concilium-db-outage");
        int pgPort = NodeProcess.freePort();
        EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("external-pg"), pgPort);
        NodeProcess node = null;
        try {
            node = NodeProcess.start(NodeProcess.freePort(), dir.resolve("node"), List.of(), Map.of(
                    "QUARKUS_DATASOURCE_REACTIVE_URL", db.reactiveUrl(), "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "QUARKUS_DATASOURCE_PASSWORD", "postgres")).awaitReady(Duration.ofMinutes(5));
            String base = node.baseUrl();
            tokens = registerAdmin(db, dir, base);
            String id = site(base).body("{\"resourceType\":\"Patient\",\"gender\":\"female\"}").post("/Patient").then()
                    .statusCode(201).extract().path("id");

            db.close();
            db = null;
            for (int i = 0; i < 5; i++) {
                expect503(site(base).get("/Patient/" + id));
                expect503(site(base).body("{\"resourceType\":\"Patient\"}").post("/Patient"));
                expect503(site(base).get("/Patient?gender=female"));
            }
            assertThat(RestAssured.given().get(base + "/q/health/ready").statusCode()).isEqualTo(503);
            assertThat(RestAssured.given().get(base + "/q/health/live").statusCode()).isEqualTo(200);

            db = EmbeddedDatabase.start(dir.resolve("external-pg"), pgPort);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (RestAssured.given().get(base + "/q/health/ready").statusCode() != 200) {
                assertThat(System.nanoTime()).as("ready again within 2 minutes").isLessThan(deadline);
                Thread.sleep(1_000);
            }
            site(base).get("/Patient/" + id).then().statusCode(200);
            site(base).body("{\"resourceType\":\"Patient\"}").post("/Patient").then().statusCode(201);
        } finally {
            if (node != null) {
                node.close();
            }
            if (db != null) {
                db.close();
            }
        }
    }

    /** 503 with Retry-After and an OperationOutcome, answered within 30 s (the client gives up after 60). */
    private static void expect503(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isNotBlank();
        assertThat(r.asString()).contains("OperationOutcome").doesNotContain("Exception");
        assertThat(r.time()).isLessThan(30_000);
    }

    private static org.concilium.security.client.AccessTokenSource tokens;

    /** The local admin client registered in the external database (the node reloads its clients at once). */
    private static org.concilium.security.client.AccessTokenSource registerAdmin(EmbeddedDatabase db, Path dir,
            String base) {
        var key = org.concilium.cli.LocalAdmin.key(dir);
        var vertx = io.vertx.mutiny.core.Vertx.vertx();
        var pool = io.vertx.mutiny.pgclient.PgBuilder.pool().connectingTo(io.vertx.pgclient.PgConnectOptions
                .fromUri(db.reactiveUrl()).setUser("postgres").setPassword("postgres")).using(vertx).build();
        try {
            new org.concilium.security.ClientStore(pool).add(new org.concilium.security.ClientRegistration(
                    org.concilium.cli.LocalAdmin.CLIENT_ID, org.concilium.security.ClientKeys.parse(key.publicJwks()),
                    org.concilium.security.ScopeSet.parseStrict(org.concilium.cli.LocalAdmin.SCOPE),
                    java.time.Instant.now()));
        } finally {
            pool.closeAndAwait();
            vertx.closeAndAwait();
        }
        return org.concilium.cli.LocalAdmin.tokens(base + "/fhir", key);
    }

    /** Requests to the node's own FHIR base, with the admin's bearer token (fetched while the database was up). */
    private static RequestSpecification site(String base) {
        return RestAssured.given().header("Authorization", "Bearer " + tokens.token()).baseUri(base).basePath("/fhir").contentType("application/fhir+json")
                .accept("application/fhir+json").config(RestAssured.config().httpClient(HttpClientConfig
                        .httpClientConfig().setParam("http.socket.timeout", 60_000)));
    }
}
