package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Requests an outside reviewer sent that a node answered wrongly (red-team findings): each is now a
 * clear 4xx, or does what the client asked, never a 500 or an action on another resource.
 */
@QuarkusTest
class HostileRequestsTest extends FhirTestBase {

    @Test
    void aBundleWithoutTypeIsRefusedNotAnInternalError() {
        fhir().body("{\"resourceType\":\"Bundle\"}").post("").then().statusCode(422)
                .body("issue[0].diagnostics", containsString("no type"));
    }

    /** Patient/x/_history/1 and Patient/x/Observation must not act on Patient/x (a DELETE deleted it). */
    @Test
    void entryUrlsLongerThanTypeAndIdAreRefusedAndTouchNothing() {
        String id = fhir().body("{\"resourceType\":\"Patient\",\"gender\":\"other\"}").post("/Patient").then()
                .statusCode(201).extract().path("id");
        for (String type : new String[] {"transaction", "batch"}) {
            String body = "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":["
                    + "{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient/" + id + "/_history/1\"}}]}";
            var answer = fhir().body(body).post("").then();
            if (type.equals("transaction")) {
                answer.statusCode(400).body("issue[0].diagnostics", containsString("Type/id"));
            } else {
                answer.statusCode(200).body("entry[0].response.status", containsString("400"));
            }
        }
        fhir().get("/Patient/" + id).then().statusCode(200).body("meta.versionId", equalTo("1"));
        String gets = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + id + "/Observation\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + id + "/$everything\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + id + "\"}}]}";
        fhir().body(gets).post("").then().statusCode(200)
                .body("entry[0].response.status", containsString("400"))
                .body("entry[1].response.status", containsString("400"))
                .body("entry[2].response.status", equalTo("200 OK"))
                .body("entry[2].resource.id", equalTo(id));
    }

    /** Synthea's own form: the identifier system is a URL; such references were stored unresolved. */
    @Test
    void conditionalReferencesWithAUrlSystemAreResolved() {
        String npi = "npi-" + UUID.randomUUID();
        String practitioner = fhir().body("{\"resourceType\":\"Practitioner\",\"identifier\":[{\"system\":"
                + "\"http://hl7.org/fhir/sid/us-npi\",\"value\":\"" + npi + "\"}]}").post("/Practitioner").then()
                .statusCode(201).extract().path("id");
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Patient\",\"generalPractitioner\":[{\"reference\":"
                + "\"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|%s\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}";
        String location = fhir().body(bundle.formatted(npi)).post("").then().statusCode(200)
                .extract().path("entry[0].response.location");
        fhir().get("/" + location.substring(0, location.indexOf("/_history"))).then().statusCode(200)
                .body("generalPractitioner[0].reference", equalTo("Practitioner/" + practitioner));
        fhir().body(bundle.formatted("nobody-" + npi)).post("").then().statusCode(404)
                .body("issue[0].diagnostics", containsString("matches nothing"));
    }

    @Test
    void aTransactionUsingOneFullUrlTwiceIsRefusedAndWritesNothing() {
        String family = "dup-" + UUID.randomUUID();
        String entry = "{\"fullUrl\":\"urn:uuid:0f1e2d3c-0000-4000-8000-000000000001\",\"resource\":{\"resourceType\":"
                + "\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}";
        fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entry + "," + entry + "]}")
                .post("").then().statusCode(400).body("issue[0].diagnostics", containsString("more than one entry"));
        fhir().get("/Patient?family=" + family).then().statusCode(200).body("entry", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aBadPercentEscapeInAFormBodyIsA400() {
        fhir().contentType("application/x-www-form-urlencoded").body("name=%ZZ").post("/Patient/_search").then()
                .statusCode(400).body("resourceType", equalTo("OperationOutcome"));
        fhir().contentType("application/x-www-form-urlencoded").body("gender=other&_count=1").post("/Patient/_search")
                .then().statusCode(200).body("resourceType", equalTo("Bundle"));
        RestAssured.given().contentType("application/x-www-form-urlencoded").body("grant_type=%ZZ")
                .post("/auth/token").then().statusCode(400).body("error", equalTo("invalid_request"))
                .header("Cache-Control", "no-store");
        RestAssured.given().header("X-Concilium-UI", "1").contentType("application/x-www-form-urlencoded")
                .body("name=%ZZ&password=x").post("/ui/api/session").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
    }
}
