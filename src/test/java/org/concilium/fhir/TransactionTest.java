package org.concilium.fhir;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TransactionTest extends FhirTestBase {

    @Test
    void transactionRewritesUrnUuidReferences() {
        String p = "urn:uuid:" + UUID.randomUUID();
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"%s","resource":{"resourceType":"Patient","gender":"female"},"request":{"method":"POST","url":"Patient"}},
                 {"resource":{"resourceType":"Condition","subject":{"reference":"%s"},
                   "code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]}},"request":{"method":"POST","url":"Condition"}}
                ]}""".formatted(p, p);
        var response = fhir().body(bundle).post("").then().statusCode(200).body("type", equalTo("transaction-response"))
                .body("entry[0].response.status", startsWith("201")).extract();
        String patientLocation = response.path("entry[0].response.location");
        String conditionLocation = response.path("entry[1].response.location");
        String patientId = patientLocation.split("/")[1];
        fhir().get("/" + conditionLocation.substring(0, conditionLocation.indexOf("/_history"))).then()
                .body("subject.reference", equalTo("Patient/" + patientId));
        fhir().get("/Condition?patient=" + patientId + "&code=http://snomed.info/sct|44054006").then()
                .body("total", equalTo(1));
    }

    @Test
    void failingTransactionLeavesNothingBehind() {
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"resource":{"resourceType":"Organization","identifier":[{"system":"urn:tx","value":"rollback-1"}]},
                  "request":{"method":"POST","url":"Organization"}},
                 {"resource":{"resourceType":"Patient","id":"tx-rb"},"request":{"method":"PUT","url":"Patient/tx-rb","ifMatch":"W/\\"7\\""}}
                ]}""";
        fhir().body(bundle).post("").then().statusCode(412).body("resourceType", equalTo("OperationOutcome"));
        fhir().get("/Organization?identifier=urn:tx|rollback-1").then().body("total", equalTo(0));
        fhir().get("/Patient/tx-rb").then().statusCode(404);
    }

    @Test
    void unresolvedUrnReferenceRejectsTheWholeTransaction() {
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"resource":{"resourceType":"Organization","identifier":[{"system":"urn:tx","value":"rollback-2"}]},
                  "request":{"method":"POST","url":"Organization"}},
                 {"resource":{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},
                   "subject":{"reference":"urn:uuid:00000000-0000-0000-0000-000000000000"}},"request":{"method":"POST","url":"Encounter"}}
                ]}""";
        fhir().body(bundle).post("").then().statusCode(400).body("issue[0].expression[0]", startsWith("Bundle.entry[1]"));
        fhir().get("/Organization?identifier=urn:tx|rollback-2").then().body("total", equalTo(0));
    }

    @Test
    void conditionalCreateInsideATransactionReusesTheMatch() {
        String entry = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:aaaaaaaa-0000-0000-0000-000000000001",
                  "resource":{"resourceType":"Practitioner","identifier":[{"system":"urn:npi","value":"tx-cond"}]},
                  "request":{"method":"POST","url":"Practitioner","ifNoneExist":"identifier=urn:npi|tx-cond"}}]}""";
        String first = fhir().body(entry).post("").then().statusCode(200).body("entry[0].response.status", startsWith("201"))
                .extract().path("entry[0].response.location");
        fhir().body(entry).post("").then().statusCode(200).body("entry[0].response.status", startsWith("200"))
                .body("entry[0].response.location", equalTo(first));
    }

    @Test
    void batchEntriesSucceedOrFailOnTheirOwn() {
        String bundle = """
                {"resourceType":"Bundle","type":"batch","entry":[
                 {"resource":{"resourceType":"Patient","id":"batch-ok"},"request":{"method":"PUT","url":"Patient/batch-ok"}},
                 {"request":{"method":"GET","url":"Patient/does-not-exist"}},
                 {"resource":{"resourceType":"Patient"},"request":{"method":"POST","url":"Observation"}},
                 {"request":{"method":"GET","url":"Patient/batch-ok"}}
                ]}""";
        fhir().body(bundle).post("").then().statusCode(200).body("type", equalTo("batch-response"))
                .body("entry[0].response.status", startsWith("201"))
                .body("entry[1].response.status", startsWith("404"))
                .body("entry[2].response.status", startsWith("400"))
                .body("entry[3].response.status", startsWith("200"))
                .body("entry[3].resource.id", equalTo("batch-ok"));
    }

    @Test
    void fiveThousandEntryTransactionIsAccepted() {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        b.append("{\"fullUrl\":\"urn:uuid:bbbbbbbb-0000-0000-0000-000000000000\",\"resource\":{\"resourceType\":\"Patient\","
                + "\"identifier\":[{\"system\":\"urn:big\",\"value\":\"big-tx\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
        for (int i = 1; i < 5000; i++) {
            b.append(",{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                    + "\"http://loinc.org\",\"code\":\"8867-4\"}]},\"subject\":{\"reference\":\"urn:uuid:bbbbbbbb-0000-0000-0000-000000000000\"},"
                    + "\"effectiveDateTime\":\"2020-01-01T00:00:00Z\",\"valueQuantity\":{\"value\":").append(60 + i % 40)
                    .append("}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        b.append("]}");
        String loc = fhir().body(b.toString()).post("").then().statusCode(200).extract().path("entry[0].response.location");
        fhir().get("/Observation?patient=" + loc.split("/")[1] + "&_summary=count").then().body("total", equalTo(4999));
    }
}
