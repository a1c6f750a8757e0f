package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ResourceCrudTest extends FhirTestBase {

    private static final String PATIENT = """
            {"resourceType":"Patient","gender":"female","birthDate":"1980-02-03","name":[{"family":"Doe"}]}""";

    @Test
    void createAssignsIdVersionAndLastUpdated() {
        String location = fhir().body(PATIENT).post("/Patient").then().statusCode(201)
                .header("ETag", "W/\"1\"").header("Location", containsString("/fhir/Patient/"))
                .body("id", notNullValue()).body("meta.versionId", equalTo("1"))
                .body("meta.lastUpdated", notNullValue()).extract().header("Location");
        String id = location.replaceAll(".*/Patient/([^/]+)/_history/1$", "$1");
        fhir().get("/Patient/" + id).then().statusCode(200).body("gender", equalTo("female"))
                .header("ETag", "W/\"1\"");
    }

    @Test
    void updateCreatesThenVersionsAndHonoursIfMatch() {
        String body = PATIENT.replace("{\"resourceType\":\"Patient\"", "{\"resourceType\":\"Patient\",\"id\":\"crud-1\"");
        fhir().body(body).put("/Patient/crud-1").then().statusCode(201).body("meta.versionId", equalTo("1"));
        fhir().body(body.replace("female", "male")).header("If-Match", "W/\"1\"").put("/Patient/crud-1")
                .then().statusCode(200).body("meta.versionId", equalTo("2")).body("gender", equalTo("male"));
        fhir().body(body).header("If-Match", "W/\"1\"").put("/Patient/crud-1").then().statusCode(412)
                .body("resourceType", equalTo("OperationOutcome")).body("issue[0].code", equalTo("conflict"));
        fhir().get("/Patient/crud-1/_history/1").then().statusCode(200).body("gender", equalTo("female"));
        fhir().get("/Patient/crud-1/_history/2").then().statusCode(200).body("gender", equalTo("male"));
        fhir().get("/Patient/crud-1/_history").then().statusCode(200).body("type", equalTo("history"))
                .body("total", equalTo(2)).body("entry[0].resource.meta.versionId", equalTo("2"));
    }

    @Test
    void deleteMakesReadsGoneButKeepsHistory() {
        String body = PATIENT.replace("{\"resourceType\":\"Patient\"", "{\"resourceType\":\"Patient\",\"id\":\"crud-del\"");
        fhir().body(body).put("/Patient/crud-del").then().statusCode(201);
        fhir().delete("/Patient/crud-del").then().statusCode(204);
        fhir().get("/Patient/crud-del").then().statusCode(410).body("issue[0].code", equalTo("deleted"));
        fhir().get("/Patient/crud-del/_history").then().statusCode(200).body("total", equalTo(2))
                .body("entry[0].request.method", equalTo("DELETE"));
        fhir().get("/Patient/crud-del/_history/1").then().statusCode(200);
    }

    @Test
    void conditionalCreateReturnsTheExistingMatch() {
        String org = """
                {"resourceType":"Organization","identifier":[{"system":"urn:test:org","value":"cond-1"}],"name":"A"}""";
        String first = fhir().body(org).header("If-None-Exist", "identifier=urn:test:org|cond-1").post("/Organization")
                .then().statusCode(201).extract().path("id");
        fhir().body(org).header("If-None-Exist", "identifier=urn:test:org|cond-1").post("/Organization")
                .then().statusCode(200).body("id", equalTo(first));
    }

    @Test
    void readsInXmlWhenAskedTo() {
        fhir().body(PATIENT).post("/Patient").then().statusCode(201);
        fhir().accept("application/fhir+xml").get("/Patient?_count=1").then().statusCode(200)
                .contentType(startsWith("application/fhir+xml")).body(containsString("<Bundle"));
    }
}
