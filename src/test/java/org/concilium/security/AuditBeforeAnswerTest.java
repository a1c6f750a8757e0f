package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import io.restassured.RestAssured;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;
import org.junit.jupiter.api.Test;

/**
 * Write-ahead audit: an answer leaves only once its access is committed to the trail. Before, the
 * trail was written every 250 ms in the background, so a client could hold an answer whose access
 * was not (yet, or after a crash, ever) on record; and an audit the database refused was only logged.
 */
@QuarkusTest
class AuditBeforeAnswerTest extends FhirTestBase {

    @Inject
    Pool pool;
    @Inject
    ClientRegistry registry;

    @Test
    void anAnswerArrivesOnlyOnceItsAccessIsOnRecord() {
        String id = "wa-" + UUID.randomUUID().toString().substring(0, 8);
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}").put("/Patient/" + id).then().statusCode(201);
        for (int i = 1; i <= 10; i++) {
            fhir().get("/Patient/" + id).then().statusCode(200);
            // no polling: the read's event is committed before its answer arrived
            fhir().get("/AuditEvent?patient=Patient/" + id + "&subtype=read&_total=accurate").then().statusCode(200)
                    .body("total", equalTo(i));
        }
    }

    @Test
    void aReadThatCannotBeAuditedIsWithheldAndAWriteStands() {
        String id = "wa-" + UUID.randomUUID().toString().substring(0, 8);
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Unaudited\"}]}")
                .put("/Patient/" + id).then().statusCode(201);
        // the database refuses every audit event about this patient (a real trigger, as a full disk or a
        // broken constraint would)
        sql("CREATE FUNCTION refuse_audit_" + id.replace('-', '_') + "() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN RAISE EXCEPTION 'audit refused for test'; END $$");
        sql("CREATE TRIGGER refuse_audit_" + id.replace('-', '_') + " BEFORE INSERT ON resource FOR EACH ROW"
                + " WHEN (NEW.res_type = 'AuditEvent' AND NEW.body::text LIKE '%Patient/" + id + "%')"
                + " EXECUTE FUNCTION refuse_audit_" + id.replace('-', '_') + "()");
        try {
            String withheld = fhir().get("/Patient/" + id).then().statusCode(503).header("Retry-After", "5")
                    .body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].diagnostics", containsString("audit trail")).extract().asString();
            assertThat(withheld).doesNotContain("Unaudited");
            fhir().get("/Observation?patient=" + id).then().statusCode(503);
            // the update is committed: its answer stands (a 503 would invite a retry that repeats it)
            fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Changed\"}]}")
                    .put("/Patient/" + id).then().statusCode(200);
        } finally {
            sql("DROP TRIGGER refuse_audit_" + id.replace('-', '_') + " ON resource");
            sql("DROP FUNCTION refuse_audit_" + id.replace('-', '_') + "()");
        }
        fhir().get("/Patient/" + id).then().statusCode(200).body("name[0].family", equalTo("Changed"));
        fhir().get("/AuditEvent?patient=Patient/" + id + "&subtype=read&_total=accurate").then().statusCode(200)
                .body("total", equalTo(1));
    }

    @Test
    void aTokenWhoseIssueCannotBeAuditedIsNotIssued() {
        ClientKey key = ClientKey.generate();
        String id = "wa-client-" + UUID.randomUUID().toString().substring(0, 8);
        registry.store().add(new ClientRegistration(id, ClientKeys.parse(key.publicJwks()),
                ScopeSet.parseStrict("system/Patient.rs"), Instant.now()));
        AccessTokenSource source = new AccessTokenSource("http://localhost:" + RestAssured.port + "/fhir", id, key,
                "system/Patient.rs");
        String name = "refuse_token_audit_" + id.substring("wa-client-".length());
        sql("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN RAISE EXCEPTION 'audit refused for test'; END $$");
        sql("CREATE TRIGGER " + name + " BEFORE INSERT ON resource FOR EACH ROW WHEN (NEW.res_type = 'AuditEvent'"
                + " AND NEW.body::text LIKE '%" + id + "%') EXECUTE FUNCTION " + name + "()");
        try {
            RestAssured.given().contentType("application/x-www-form-urlencoded")
                    .formParam("grant_type", "client_credentials").formParam("scope", "system/Patient.rs")
                    .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                    .formParam("client_assertion", source.assertion())
                    .post("/auth/token").then().statusCode(503).body("error", equalTo("temporarily_unavailable"))
                    .body("access_token", org.hamcrest.Matchers.nullValue());
        } finally {
            sql("DROP TRIGGER " + name + " ON resource");
            sql("DROP FUNCTION " + name + "()");
        }
        assertThat(source.authorization()).startsWith("Bearer ");
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }
}
