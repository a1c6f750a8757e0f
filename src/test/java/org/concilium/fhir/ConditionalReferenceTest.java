package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Transaction entries referring to 'Practitioner?identifier=...' (as current Synthea writes them). */
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
}
