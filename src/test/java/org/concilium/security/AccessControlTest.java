package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens and scopes over HTTP: 401 without a valid token on every interaction of both
 * bases, 403 when the scopes do not cover the interaction (per Bundle entry too), and registry
 * changes that take effect at once.
 */
@QuarkusTest
class AccessControlTest extends FhirTestBase {

    static final String PATIENT = "{\"resourceType\":\"Patient\",\"id\":\"ac-1\",\"gender\":\"female\"}";
    static final String OBSERVATION = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}";
    static final String OP = "/Measure/m/$evaluate-measure?periodStart=2024&periodEnd=2024";

    @Inject
    ClientRegistry registry;

    @BeforeEach
    void patientExists() {
        fhir().body(PATIENT).put("/Patient/ac-1").then().statusCode(anyOf201Or200());
    }

    private static org.hamcrest.Matcher<Integer> anyOf201Or200() {
        return org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201));
    }

    private String clientWith(String scope) {
        return org.concilium.testing.ScopedClients.authorization(registry, scope);
    }

    private static RequestSpecification as(String authorization) {
        return RestAssured.given().urlEncodingEnabled(false).contentType(JSON).accept(JSON)
                .header("Authorization", authorization);
    }

    /** Every site interaction, as (method, path, body). */
    static final List<String[]> SITE = List.of(new String[] {"GET", "/fhir/Patient", null},
            new String[] {"GET", "/fhir/Patient/ac-1", null}, new String[] {"GET", "/fhir/Patient/ac-1/_history", null},
            new String[] {"GET", "/fhir/Patient/ac-1/_history/1", null}, new String[] {"POST", "/fhir/Patient", PATIENT},
            new String[] {"PUT", "/fhir/Patient/ac-1", PATIENT}, new String[] {"DELETE", "/fhir/Patient/ac-2", null},
            new String[] {"POST", "/fhir", "{\"resourceType\":\"Bundle\",\"type\":\"batch\"}"},
            new String[] {"GET", "/fhir" + OP, null}, new String[] {"GET", "/fhir/AuditEvent", null});
    static final List<String[]> NETWORK = List.of(new String[] {"POST", "/network/fhir", "{}"},
            new String[] {"GET", "/network/fhir/Measure", null}, new String[] {"GET", "/network/fhir/Measure/m", null},
            new String[] {"GET", "/network/fhir" + OP, null}, new String[] {"POST", "/network/fhir" + OP, "{}"},
            new String[] {"GET", "/network/fhir/Measure/$evaluate-measure?measure=m&periodStart=2024&periodEnd=2024",
                    null},
            new String[] {"GET", "/network/fhir/_async/" + UUID.randomUUID(), null},
            new String[] {"GET", "/network/fhir/MeasureReport/r", null},
            new String[] {"GET", "/network/fhir/MeasureReport?measure=m", null});

    private static ValidatableResponse send(RequestSpecification spec, String[] call) {
        if (call[2] != null) {
            spec.body(call[2]);
        }
        return spec.request(call[0], call[1]).then();
    }

    @Test
    void withoutATokenEveryInteractionIs401WithAChallenge() {
        for (List<String[]> calls : List.of(SITE, NETWORK)) {
            for (String[] call : calls) {
                send(RestAssured.given().urlEncodingEnabled(false).contentType(JSON).accept(JSON), call)
                        .statusCode(401).header("WWW-Authenticate", equalTo("Bearer realm=\"concilium\""))
                        .body("resourceType", equalTo("OperationOutcome")).body("issue[0].code", equalTo("login"));
            }
        }
    }

    @Test
    void aBadTokenIs401InvalidToken() {
        String good = tokens().token();
        String[] parts = good.split("\\.");
        String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        for (String header : List.of("Bearer nonsense", "Bearer " + forged, "Basic dXNlcjpwYXNz",
                "Bearer " + good.substring(0, good.length() - 3) + "abc")) {
            for (String[] call : List.of(SITE.get(0), NETWORK.get(1))) {
                send(as(header), call).statusCode(401)
                        .header("WWW-Authenticate", startsWith("Bearer realm=\"concilium\""))
                        .body("issue[0].code", equalTo("login"));
            }
        }
        send(as("Bearer " + forged), SITE.get(0)).header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void readOnlyScopesAllowReadingAndRefuseWriting() {
        String observationReader = clientWith("system/Observation.rs");
        as(observationReader).get("/fhir/Observation").then().statusCode(200);
        as(observationReader).get("/fhir/Patient/ac-1").then().statusCode(403)
                .body("issue[0].code", equalTo("forbidden"))
                .body("issue[0].diagnostics", containsString("system/Patient.r"))
                .header("WWW-Authenticate", containsString("insufficient_scope"));
        as(observationReader).get("/fhir/Patient").then().statusCode(403);
        as(observationReader).body(OBSERVATION).post("/fhir/Observation").then().statusCode(403);

        String v1Reader = clientWith("system/*.read");
        for (String[] call : SITE.subList(0, 4)) {
            send(as(v1Reader), call).statusCode(200);
        }
        as(v1Reader).body(PATIENT).post("/fhir/Patient").then().statusCode(403);
        as(v1Reader).body(PATIENT).put("/fhir/Patient/ac-1").then().statusCode(403);
        as(v1Reader).delete("/fhir/Patient/ac-1").then().statusCode(403);
        fhir().get("/Patient/ac-1").then().statusCode(200);
    }

    @Test
    void eachInteractionNeedsItsOwnLetter() {
        as(clientWith("system/Patient.c")).body(PATIENT).post("/fhir/Patient").then().statusCode(201);
        as(clientWith("system/Patient.c")).header("If-None-Exist", "identifier=x|y").body(PATIENT)
                .post("/fhir/Patient").then().statusCode(403);
        as(clientWith("system/Patient.u")).body(PATIENT).put("/fhir/Patient/ac-1").then().statusCode(200);
        as(clientWith("system/Patient.r")).get("/fhir/Patient/ac-1").then().statusCode(200);
        as(clientWith("system/Patient.r")).get("/fhir/Patient").then().statusCode(403);
        as(clientWith("system/Patient.s")).get("/fhir/Patient").then().statusCode(200);
        as(clientWith("system/Patient.s")).get("/fhir/Patient/ac-1").then().statusCode(403);
        fhir().body(PATIENT.replace("ac-1", "ac-2")).put("/Patient/ac-2").then().statusCode(anyOf201Or200());
        as(clientWith("system/Patient.rus")).delete("/fhir/Patient/ac-2").then().statusCode(403);
        as(clientWith("system/Patient.d")).delete("/fhir/Patient/ac-2").then().statusCode(204);
    }

    @Test
    void everyBundleEntryIsChecked() {
        String tx = """
                {"resourceType":"Bundle","type":"%s","entry":[
                 {"resource":%s,"request":{"method":"POST","url":"Observation"}},
                 {"request":{"method":"GET","url":"Patient/ac-1"}}]}""";
        String observationWriter = clientWith("system/Observation.cruds");
        as(observationWriter).body(tx.formatted("transaction", OBSERVATION)).post("/fhir").then().statusCode(403)
                .body("issue[0].diagnostics", containsString("Bundle.entry[1]"));
        as(observationWriter).body(tx.formatted("batch", OBSERVATION)).post("/fhir").then().statusCode(200)
                .body("entry[0].response.status", startsWith("201"))
                .body("entry[1].response.status", startsWith("403"));
        as(clientWith("system/Observation.c system/Patient.r")).body(tx.formatted("transaction", OBSERVATION))
                .post("/fhir").then().statusCode(200);
    }

    @Test
    void localEvaluateMeasureNeedsMeasureReadAndReportCreate() {
        as(clientWith("system/Measure.rs")).get("/fhir" + OP).then().statusCode(403)
                .body("issue[0].diagnostics", containsString("MeasureReport"));
        // past authorization, the unknown measure is a 404
        as(clientWith("system/Measure.rs system/MeasureReport.c")).get("/fhir" + OP).then().statusCode(404);
        as(clientWith("system/Measure.rs system/MeasureReport.c")).get("/fhir" + OP + "&reportType=subject-list")
                .then().statusCode(403).body("issue[0].diagnostics", containsString("Patient"));
    }

    @Test
    void theNetworkApiNeedsItsOwnScopesOnEveryEndpoint() {
        String clinical = clientWith("system/*.cruds");
        for (String[] call : NETWORK) {
            send(as(clinical), call).statusCode(403).body("issue[0].diagnostics", containsString("concilium/network."));
        }
        String querier = clientWith("concilium/network.query");
        as(querier).body("{}").post("/network/fhir").then().statusCode(403);
        // past authorization: no network here (503), no such thing (404), or a bad body (400)
        for (String[] call : NETWORK.subList(1, NETWORK.size())) {
            int status = send(as(querier), call).extract().statusCode();
            assertThat(status).as(call[1]).isIn(200, 400, 404, 503);
        }
        String publisher = clientWith("concilium/network.publish");
        as(publisher).get("/network/fhir/Measure").then().statusCode(200);
        as(publisher).get("/network/fhir" + OP).then().statusCode(403);
        as(publisher).get("/network/fhir/MeasureReport/r").then().statusCode(403);
        as(publisher).contentType(JSON).body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}")
                .post("/network/fhir").then().statusCode(503);
    }

    @Test
    void removingOrNarrowingAClientTakesEffectAtOnce() throws InterruptedException {
        ClientKey key = ClientKey.generate();
        String id = "short-lived-" + UUID.randomUUID();
        registry.store().add(new ClientRegistration(id, ClientKeys.parse(key.publicJwks()),
                ScopeSet.parseStrict("system/Patient.rs"), Instant.now()));
        String token = new AccessTokenSource("http://localhost:" + RestAssured.port + "/fhir", id, key,
                "system/Patient.rs").authorization();
        as(token).get("/fhir/Patient/ac-1").then().statusCode(200);

        registry.store().remove(id);
        registry.store().add(new ClientRegistration(id, ClientKeys.parse(key.publicJwks()),
                ScopeSet.parseStrict("system/Patient.s"), Instant.now()));
        assertThat(statusWithin(token, 403)).isEqualTo(403);
        as(token).get("/fhir/Patient").then().statusCode(200);

        registry.store().remove(id);
        assertThat(statusWithin(token, 401)).isEqualTo(401);
    }

    /** The status once the node has seen the registry change (NOTIFY arrives within milliseconds). */
    private static int statusWithin(String token, int expected) throws InterruptedException {
        int status = 0;
        for (int i = 0; i < 50 && status != expected; i++) {
            status = as(token).get("/fhir/Patient/ac-1").then().extract().statusCode();
            Thread.sleep(100);
        }
        return status;
    }

    @Test
    void metadataSmartConfigurationAndHealthStayOpen() {
        RestAssured.given().accept(JSON).get("/fhir/metadata").then().statusCode(200);
        RestAssured.given().accept(JSON).get("/network/fhir/metadata").then().statusCode(200);
        RestAssured.given().get("/network/fhir/.well-known/smart-configuration").then().statusCode(200);
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
    }
}
