package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SearchTest extends FhirTestBase {

    private static boolean loaded;

    @BeforeAll
    static void marker() {
        loaded = false;
    }

    private void load() {
        if (loaded) {
            return;
        }
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"s-pat\",\"gender\":\"male\",\"birthDate\":\"1970\"}")
                .put("/Patient/s-pat").then().statusCode(201);
        observation("s-o1", "4548-4", "2018-12-31T23:00:00Z");
        observation("s-o2", "4548-4", "2019-01-01");
        observation("s-o3", "4548-4", "2019-06-15T10:00:00+02:00");
        observation("s-o4", "2345-7", "2019-06-15");
        fhir().body("{\"resourceType\":\"Encounter\",\"id\":\"s-enc\",\"status\":\"finished\","
                + "\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},"
                + "\"subject\":{\"reference\":\"Patient/s-pat\"},"
                + "\"period\":{\"start\":\"2019-03-01T08:00:00Z\",\"end\":\"2019-03-03T08:00:00Z\"}}")
                .put("/Encounter/s-enc").then().statusCode(201);
        loaded = true;
    }

    private static void observation(String id, String loinc, String when) {
        fhir().body("{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + loinc + "\"}]},"
                + "\"subject\":{\"reference\":\"Patient/s-pat\"},\"effectiveDateTime\":\"" + when + "\"}")
                .put("/Observation/" + id).then().statusCode(201);
    }

    @Test
    void tokenReferenceAndDatePrefixesCombine() {
        load();
        fhir().get("/Observation?patient=s-pat&code=http://loinc.org|4548-4&date=ge2019-01-01").then()
                .statusCode(200).body("type", equalTo("searchset")).body("total", equalTo(2))
                .body("entry.resource.id", org.hamcrest.Matchers.containsInAnyOrder("s-o2", "s-o3"));
        fhir().get("/Observation?subject=Patient/s-pat&code=4548-4").then().body("total", equalTo(3));
        fhir().get("/Observation?patient=s-pat&code=http://loinc.org|").then().body("total", equalTo(4));
        fhir().get("/Observation?patient=s-pat&code=|4548-4").then().body("total", equalTo(0));
        fhir().get("/Observation?patient=s-pat&date=lt2019").then().body("total", equalTo(1));
        fhir().get("/Observation?patient=s-pat&date=2019-06").then().body("total", equalTo(2));
        fhir().get("/Observation?patient=s-pat&date=ge2019-01-01&date=le2019-03").then().body("total", equalTo(1));
        fhir().get("/Observation?patient=s-pat&code=2345-7,4548-4&status=final").then().body("total", equalTo(4));
    }

    @Test
    void periodsMatchByOverlap() {
        load();
        fhir().get("/Encounter?patient=s-pat&date=2019-03-02").then().body("total", equalTo(0));
        fhir().get("/Encounter?patient=s-pat&date=ge2019-03-02").then().body("total", equalTo(1));
        fhir().get("/Encounter?patient=s-pat&date=eq2019-03").then().body("total", equalTo(1));
        fhir().get("/Encounter?patient=s-pat&status=finished&class=AMB").then().body("total", equalTo(1));
    }

    @Test
    void idLastUpdatedAndPaging() {
        load();
        fhir().get("/Observation?_id=s-o1,s-o4").then().body("total", equalTo(2));
        fhir().get("/Observation?_id=s-o1&_lastUpdated=ge2000-01-01").then().body("total", equalTo(1));
        fhir().get("/Observation?_id=s-o1&_lastUpdated=lt2000-01-01").then().body("total", equalTo(0));
        String next = fhir().get("/Observation?patient=s-pat&_count=3").then().body("entry", hasSize(3))
                .body("link.find { it.relation == 'next' }.url", containsString("_cursor=")).extract()
                .path("link.find { it.relation == 'next' }.url");
        fhir().basePath("").get(next).then().statusCode(200).body("entry", hasSize(1))
                .body("link.find { it.relation == 'next' }", nullValue());
        fhir().get("/Observation?patient=s-pat&_summary=count").then().body("total", equalTo(4))
                .body("entry", nullValue());
    }

    @Test
    void unknownParametersAreReportedOrRefused() {
        load();
        fhir().get("/Observation?patient=s-pat&colour=blue").then().statusCode(200)
                .body("entry.find { it.search.mode == 'outcome' }.resource.issue[0].diagnostics",
                        containsString("colour"));
        fhir().header("Prefer", "handling=strict").get("/Observation?patient=s-pat&colour=blue").then()
                .statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("colour"));
        fhir().get("/Observation?date=gx2019").then().statusCode(400);
        fhir().get("/Observation?date=2019-13-45").then().statusCode(400);
        fhir().get("/Observation?_count=many").then().statusCode(400);
    }

    @Test
    void unsupportedModifiersAndDefinedParametersAreRefusedInBothModes() {
        load();
        for (String query : new String[] {"/Observation?code:in=http://x/vs", "/Observation?date:missing=maybe",
                "/Observation?subject:Patient.identifier.system=x", "/Observation?code-value-quantity=x",
                "/Observation?_text=x", "/Observation?_sort=subject"}) {
            String name = query.substring(query.indexOf('?') + 1, query.indexOf('='));
            name = name.contains(":") ? name.substring(name.indexOf(':')) : name;
            fhir().get(query).then().statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].diagnostics", containsString(name));
            fhir().header("Prefer", "handling=strict").get(query).then().statusCode(400)
                    .body("issue[0].diagnostics", containsString(name));
        }
    }

    @Test
    void postSearchMatchesGet() {
        load();
        fhir().contentType("application/x-www-form-urlencoded")
                .formParam("patient", "s-pat").formParam("code", "4548-4").post("/Observation/_search").then()
                .statusCode(200).body("total", equalTo(3));
    }
}
