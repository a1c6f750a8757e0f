package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Each class of bad input gets an OperationOutcome with the right status, and the node goes on. */
@QuarkusTest
class BadInputTest extends FhirTestBase {

    @Test
    void unparsableJsonIs400() {
        fhir().body("{\"resourceType\":\"Patient\",").post("/Patient").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome")).body("issue[0].severity", equalTo("error"))
                .body("issue[0].diagnostics", containsString("correlation id"))
                .body(not(containsString("Exception"))).body(not(containsString("at org.")));
    }

    @Test
    void invalidFhirIs400() {
        fhir().body("{\"resourceType\":\"Patient\",\"gender\":\"sometimes\"}").post("/Patient").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        fhir().body("{\"resourceType\":\"Patient\",\"favouriteColour\":\"blue\"}").post("/Patient").then()
                .statusCode(400);
        fhir().body("{\"resourceType\":\"Patient\",\"birthDate\":\"yesterday\"}").post("/Patient").then()
                .statusCode(400);
        fhir().body("").post("/Patient").then().statusCode(400);
    }

    @Test
    void typeMismatchAndIdMismatchAre400() {
        fhir().body("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}")
                .post("/Patient").then().statusCode(400).body("issue[0].code", equalTo("invalid"));
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"one\"}").put("/Patient/two").then().statusCode(400)
                .body("issue[0].expression[0]", equalTo("Patient.id"));
    }

    @Test
    void unknownTypeIs404() {
        fhir().get("/Spaceship/1").then().statusCode(404).body("issue[0].code", equalTo("not-found"));
        fhir().body("{\"resourceType\":\"Claim\"}").post("/Claim").then().statusCode(404);
        fhir().get("/Patient/never-existed").then().statusCode(404).body("resourceType", equalTo("OperationOutcome"));
        fhir().get("/Patient/never-existed/_history/1").then().statusCode(404);
        fhir().get("/no/such/endpoint/here").then().statusCode(404).body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void badIfMatchIs400AndPostingANonBundleToTheBaseIsRefused() {
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"bad-im\"}").header("If-Match", "yesterday")
                .put("/Patient/bad-im").then().statusCode(400);
        fhir().body("{\"resourceType\":\"Patient\"}").post("").then().statusCode(400);
        fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}").post("").then().statusCode(422);
        fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\"}}]}")
                .post("").then().statusCode(400).body("issue[0].diagnostics", containsString("Bundle.entry[0]"));
    }

    @Test
    void theNodeGoesOnAfterBadInput() {
        for (int i = 0; i < 20; i++) {
            fhir().body("{garbage").post("/Patient").then().statusCode(400);
        }
        fhir().body("{\"resourceType\":\"Patient\"}").post("/Patient").then().statusCode(201);
    }
}
