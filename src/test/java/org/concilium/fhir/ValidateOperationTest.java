package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import jakarta.inject.Inject;
import java.util.List;
import org.concilium.security.ClientRegistry;
import org.concilium.testing.ScopedClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code $validate} with the HL7 validator, type and instance level, over HTTP. */
@QuarkusTest
class ValidateOperationTest extends FhirTestBase {

    @Inject
    ClientRegistry registry;

    /** The validator loads the R4 definitions on first use (tens of seconds on a busy machine). */
    private static boolean warm;

    @BeforeEach
    void warmUp() {
        if (warm) {
            return;
        }
        warm = true;
        fhir().urlEncodingEnabled(false).config(RestAssured.config().httpClient(
                        HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 600_000)))
                .body("{\"resourceType\":\"Patient\"}").post("/Patient/$validate").then().statusCode(200);
    }

    @Test
    void aValidResourceHasNoErrors() {
        fhir().urlEncodingEnabled(false).body("""
                {"resourceType":"Patient","gender":"female","birthDate":"1980-02-03","name":[{"family":"Ng"}]}""")
                .post("/Patient/$validate").then().statusCode(200)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue.severity", everyItem(not(equalTo("error"))));
    }

    @Test
    void errorsNameTheElement() {
        fhir().urlEncodingEnabled(false).body("{\"resourceType\":\"Observation\",\"code\":{\"text\":\"x\"}}").post("/Observation/$validate")
                .then().statusCode(200)
                .body("issue.severity", hasItem("error"))
                .body("issue.findAll { it.severity == 'error' }.expression.flatten()", hasItem(containsString("Observation")))
                .body("issue.findAll { it.severity == 'error' }.diagnostics", hasItem(containsString("status")));
    }

    @Test
    void parametersFormWithAnUnknownProfileIsAnError() {
        fhir().urlEncodingEnabled(false).body("""
                {"resourceType":"Parameters","parameter":[
                 {"name":"resource","resource":{"resourceType":"Patient","gender":"male"}},
                 {"name":"profile","valueUri":"http://example.org/fhir/StructureDefinition/no-such-profile"}]}""")
                .post("/Patient/$validate").then().statusCode(200)
                .body("issue.findAll { it.severity == 'error' }.diagnostics",
                        hasItem(containsString("no-such-profile")));
    }

    @Test
    void instanceLevelValidatesTheStoredVersion() {
        // stored under the lenient ingest policy although Encounter.class is missing; $validate says so
        fhir().urlEncodingEnabled(false).body(IngestPolicyTest.ENCOUNTER_WITHOUT_CLASS.formatted("validate-e1", "validate-p1"))
                .put("/Encounter/validate-e1").then().statusCode(201);
        fhir().urlEncodingEnabled(false).post("/Encounter/validate-e1/$validate").then().statusCode(200)
                .body("issue.findAll { it.severity == 'error' }.diagnostics", hasItem(containsString("class")));
        fhir().urlEncodingEnabled(false).post("/Encounter/never-stored/$validate").then().statusCode(404);
    }

    /**
     * A Bundle is not stored here, but validation needs no storage: any R4 type validates at type level.
     * Before (2026-11-26): {@code Bundle/$validate} answered 404, and this test failed at its first request.
     */
    @Test
    void anyR4TypeValidatesAtTypeLevelBundlesIncluded() {
        fhir().urlEncodingEnabled(false).body("""
                {"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:1b6e3d1c-7f0a-4c2e-9d1e-0a5c2f1e9b01",
                 "resource":{"resourceType":"Patient","gender":"female","birthDate":"1980-02-03","name":[{"family":"Ng"}]}}]}""")
                .post("/Bundle/$validate").then().statusCode(200)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue.severity", everyItem(not(equalTo("error"))));
        // no Bundle.type (1..1), and an Observation inside without its status (1..1): both named
        String broken = """
                {"resourceType":"Bundle","entry":[{"fullUrl":"urn:uuid:1b6e3d1c-7f0a-4c2e-9d1e-0a5c2f1e9b02",
                 "resource":{"resourceType":"Observation","code":{"text":"x"}}}]}""";
        fhir().urlEncodingEnabled(false).body(broken).post("/Bundle/$validate").then().statusCode(200)
                .body("issue.findAll { it.severity == 'error' }.expression.flatten()", hasItem(containsString("Bundle")))
                .body("issue.findAll { it.severity == 'error' }.diagnostics", hasItem(containsString("type")))
                .body("issue.findAll { it.severity == 'error' }.diagnostics", hasItem(containsString("status")));
        fhir().urlEncodingEnabled(false).body("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"resource\",\"resource\":"
                        + broken + "}]}")
                .post("/Bundle/$validate").then().statusCode(200)
                .body("issue.findAll { it.severity == 'error' }.diagnostics", hasItem(containsString("status")));
        // another type this node does not store
        fhir().urlEncodingEnabled(false).body("{\"resourceType\":\"Basic\"}").post("/Basic/$validate").then().statusCode(200)
                .body("issue.findAll { it.severity == 'error' }.diagnostics", hasItem(containsString("code")));
    }

    @Test
    void theCapabilityStatementListsValidateForEveryType() {
        anonymous().get("/metadata").then().statusCode(200)
                .body("rest[0].operation.find { it.name == 'validate' }.definition",
                        equalTo("http://hl7.org/fhir/OperationDefinition/Resource-validate"));
    }

    @Test
    void anUnknownTypeIsNotFound() {
        for (String type : List.of("NoSuchType", "bundle", "metadata")) {
            fhir().urlEncodingEnabled(false).body("{\"resourceType\":\"Patient\"}").post("/" + type + "/$validate")
                    .then().statusCode(404).body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].diagnostics", containsString(type));
        }
        // instance level names a stored resource: only stored types
        fhir().urlEncodingEnabled(false).post("/Bundle/b1/$validate").then().statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    /**
     * Type level reads nothing stored: any valid token will do. Instance level reads the stored resource: read scope.
     * Before (2026-11-26) this failed on the Bundle (404); and instance level had no scope check at all.
     */
    @Test
    void typeLevelNeedsATokenAndInstanceLevelNeedsRead() {
        fhir().urlEncodingEnabled(false).body("{\"resourceType\":\"Patient\",\"id\":\"validate-p2\",\"gender\":\"male\"}").put("/Patient/validate-p2")
                .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        String writeOnly = ScopedClients.authorization(registry, "system/Observation.c");
        as(writeOnly).body("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}").post("/fhir/Bundle/$validate")
                .then().statusCode(200).body("resourceType", equalTo("OperationOutcome"));
        as(writeOnly).body("{\"resourceType\":\"Patient\"}").post("/fhir/Patient/$validate").then().statusCode(200);
        as(writeOnly).post("/fhir/Patient/validate-p2/$validate").then().statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"));
        as(ScopedClients.authorization(registry, "system/Patient.r")).post("/fhir/Patient/validate-p2/$validate")
                .then().statusCode(200).body("resourceType", equalTo("OperationOutcome"));
        anonymous().urlEncodingEnabled(false).body("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}")
                .post("/Bundle/$validate").then().statusCode(401);
    }

    private static io.restassured.specification.RequestSpecification as(String authorization) {
        return RestAssured.given().urlEncodingEnabled(false).contentType(JSON).accept(JSON)
                .header("Authorization", authorization);
    }

    @Test
    void theResourceMustBeOfTheUrlsType() {
        fhir().urlEncodingEnabled(false).body("{\"resourceType\":\"Patient\"}").post("/Encounter/$validate").then().statusCode(400);
        fhir().urlEncodingEnabled(false).body("{\"resourceType\":\"Patient\",\"colour\":\"blue\"}").post("/Patient/$validate").then().statusCode(400);
    }
}
