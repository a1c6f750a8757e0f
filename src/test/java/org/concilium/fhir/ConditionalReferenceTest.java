package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Transaction entries referring to 'Practitioner?identifier=...' (as current Synthea writes them),
 * and the same references in a plain create or update (resolved the same way, docs/search.md).
 */
@QuarkusTest
class ConditionalReferenceTest extends FhirTestBase {

    private static String encounter(String practitionerQuery) {
        return """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"resource":{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},
                   "participant":[{"individual":{"reference":"%s"}}]},"request":{"method":"POST","url":"Encounter"}}
                ]}""".formatted(practitionerQuery);
    }

    @Test
    void aConditionalReferenceIsResolvedToTheOneMatch() {
        String id = fhir().body("{\"resourceType\":\"Practitioner\",\"identifier\":[{\"system\":\"urn:cr-npi\","
                + "\"value\":\"cr-1\"}]}").post("/Practitioner").then().statusCode(201).extract().path("id");
        String location = fhir().body(encounter("Practitioner?identifier=urn:cr-npi|cr-1")).post("").then()
                .statusCode(200).extract().path("entry[0].response.location");
        fhir().get("/" + location.substring(0, location.indexOf("/_history"))).then()
                .body("participant[0].individual.reference", equalTo("Practitioner/" + id));
        fhir().get("/Encounter?participant=Practitioner/" + id).then().body("total", equalTo(1));
    }

    @Test
    void noMatchIs404AndSeveralAre412NamingTheEntry() {
        fhir().body(encounter("Practitioner?identifier=urn:cr-npi|nobody")).post("").then().statusCode(404)
                .body("issue[0].diagnostics", containsString("Bundle.entry[0]"))
                .body("issue[0].diagnostics", containsString("Practitioner?identifier=urn:cr-npi|nobody"));
        for (int i = 0; i < 2; i++) {
            fhir().body("{\"resourceType\":\"Practitioner\",\"identifier\":[{\"system\":\"urn:cr-npi\","
                    + "\"value\":\"twice\"}]}").post("/Practitioner").then().statusCode(201);
        }
        fhir().body(encounter("Practitioner?identifier=urn:cr-npi|twice")).post("").then().statusCode(412)
                .body("issue[0].diagnostics", containsString("Bundle.entry[0]"));
    }

    @Test
    void twoEntriesForOneIdentityAreRefused() {
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"resource":{"resourceType":"Patient","id":"cr-dup"},"request":{"method":"PUT","url":"Patient/cr-dup"}},
                 {"request":{"method":"DELETE","url":"Patient/cr-dup"}}
                ]}""";
        fhir().body(bundle).post("").then().statusCode(400).body("issue[0].diagnostics", containsString("Patient/cr-dup"));
        fhir().get("/Patient/cr-dup").then().statusCode(404);
    }

    private static String observation(String subject) {
        return "{\"resourceType\":\"Observation\",\"id\":\"cr-obs\",\"status\":\"final\",\"code\":{\"text\":\"cr\"},"
                + "\"subject\":{\"reference\":\"" + subject + "\"}}";
    }

    @Test
    void aPlainCreateOrUpdateResolvesItsConditionalReferenceToo() {
        String mrn = "plain-" + java.util.UUID.randomUUID();
        String id = fhir().body("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:cr-mrn\","
                + "\"value\":\"" + mrn + "\"}]}").post("/Patient").then().statusCode(201).extract().path("id");
        fhir().body(observation("Patient?identifier=urn:cr-mrn|" + mrn).replace("\"id\":\"cr-obs\",", ""))
                .post("/Observation").then().statusCode(201)
                .body("subject.reference", equalTo("Patient/" + id));
        String obs = "cr-" + java.util.UUID.randomUUID();
        fhir().body(observation("Patient?identifier=urn:cr-mrn|" + mrn).replace("cr-obs", obs)).put("/Observation/" + obs)
                .then().statusCode(201).body("subject.reference", equalTo("Patient/" + id));
        fhir().get("/Observation/" + obs).then().body("subject.reference", equalTo("Patient/" + id));
        fhir().get("/Observation?subject=Patient/" + id + "&code:text=cr").then().body("total", equalTo(2));
    }

    @Test
    void aPlainWriteWhoseConditionalReferenceMatchesNothingOrSeveralIsRefusedNamingIt() {
        String twice = "plain-" + java.util.UUID.randomUUID();
        fhir().body(observation("Patient?identifier=urn:cr-mrn|nobody")).post("/Observation").then()
                .statusCode(404).body("issue[0].diagnostics", containsString("Patient?identifier=urn:cr-mrn|nobody"));
        for (int i = 0; i < 2; i++) {
            fhir().body("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:cr-mrn\","
                    + "\"value\":\"" + twice + "\"}]}").post("/Patient").then().statusCode(201);
        }
        String obs = "cr-" + java.util.UUID.randomUUID();
        fhir().body(observation("Patient?identifier=urn:cr-mrn|" + twice).replace("cr-obs", obs))
                .put("/Observation/" + obs).then().statusCode(412)
                .body("issue[0].diagnostics", containsString("Patient?identifier=urn:cr-mrn|" + twice));
        fhir().get("/Observation/" + obs).then().statusCode(404);
        fhir().body(observation("Patient?birthdate=notadate")).post("/Observation").then().statusCode(400);
    }
}
