package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code $validate} with the HL7 validator, type and instance level, over HTTP. */
@QuarkusTest
class ValidateOperationTest extends FhirTestBase {

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

    @Test
    void theResourceMustBeOfTheUrlsType() {
        fhir().urlEncodingEnabled(false).body("{\"resourceType\":\"Patient\"}").post("/Encounter/$validate").then().statusCode(400);
        fhir().urlEncodingEnabled(false).body("{\"resourceType\":\"Patient\",\"colour\":\"blue\"}").post("/Patient/$validate").then().statusCode(400);
    }
}
