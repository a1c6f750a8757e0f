package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PUT/DELETE Type?criteria (R4 conditional update and delete), directly and as transaction entries, and GET entries. */
@QuarkusTest
class ConditionalWriteTest extends FhirTestBase {

    private static String patient(String value, String family) {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:cw\",\"value\":\"" + value + "\"}],"
                + "\"name\":[{\"family\":\"" + family + "\"}]}";
    }

    @Test
    void conditionalUpdateCreatesThenUpdatesTheOneMatch() {
        String id = fhir().body(patient("u1", "First")).put("/Patient?identifier=urn:cw|u1").then().statusCode(201)
                .extract().path("id");
        fhir().body(patient("u1", "Second")).put("/Patient?identifier=urn:cw|u1").then().statusCode(200)
                .body("id", equalTo(id)).body("meta.versionId", equalTo("2"));
        fhir().get("/Patient/" + id).then().body("name[0].family", equalTo("Second"));
        fhir().get("/Patient?identifier=urn:cw|u1").then().body("total", equalTo(1));
    }

    @Test
    void conditionalUpdateWithSeveralMatchesIs412AndChangesNothing() {
        fhir().body(patient("many", "A")).post("/Patient").then().statusCode(201);
        fhir().body(patient("many", "B")).post("/Patient").then().statusCode(201);
        fhir().body(patient("many", "C")).put("/Patient?identifier=urn:cw|many").then().statusCode(412);
        fhir().get("/Patient?identifier=urn:cw|many&family=C").then().body("total", equalTo(0));
        fhir().delete("/Patient?identifier=urn:cw|many").then().statusCode(412);
        fhir().get("/Patient?identifier=urn:cw|many").then().body("total", equalTo(2));
    }

    @Test
    void conditionalUpdateWhoseBodyNamesAnotherIdIs400() {
        fhir().body(patient("u2", "A")).put("/Patient?identifier=urn:cw|u2").then().statusCode(201);
        String body = patient("u2", "B").replace("{\"resourceType\":\"Patient\",",
                "{\"resourceType\":\"Patient\",\"id\":\"cw-other\",");
        fhir().body(body).put("/Patient?identifier=urn:cw|u2").then().statusCode(400);
    }

    @Test
    void conditionalWritesNeedKnownCriteria() {
        fhir().body(patient("u3", "A")).put("/Patient?nonsense=1").then().statusCode(400);
        fhir().body(patient("u3", "A")).put("/Patient").then().statusCode(400);
        fhir().delete("/Patient?_count=5").then().statusCode(400);
    }

    @Test
    void conditionalDeleteRemovesTheOneMatchAndNoMatchIsFine() {
        String id = fhir().body(patient("d1", "Gone")).post("/Patient").then().statusCode(201).extract().path("id");
        fhir().delete("/Patient?identifier=urn:cw|d1").then().statusCode(204);
        fhir().get("/Patient/" + id).then().statusCode(410);
        fhir().delete("/Patient?identifier=urn:cw|d1").then().statusCode(204);
    }

    @Test
    void transactionEntriesUpdateAndDeleteByCriteriaAndGetEntriesAnswerSearchsets() {
        String keep = fhir().body(patient("t1", "Old")).post("/Patient").then().statusCode(201).extract().path("id");
        String drop = fhir().body(patient("t2", "Drop")).post("/Patient").then().statusCode(201).extract().path("id");
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:5f0c8a52-0000-4000-8000-000000000001",
                  "resource":%s,"request":{"method":"PUT","url":"Patient?identifier=urn:cw|t1"}},
                 {"fullUrl":"urn:uuid:5f0c8a52-0000-4000-8000-000000000002",
                  "resource":%s,"request":{"method":"PUT","url":"Patient?identifier=urn:cw|t3"}},
                 {"request":{"method":"DELETE","url":"Patient?identifier=urn:cw|t2"}},
                 {"resource":{"resourceType":"Observation","status":"final","code":{"text":"cw"},
                   "subject":{"reference":"urn:uuid:5f0c8a52-0000-4000-8000-000000000001"}},
                  "request":{"method":"POST","url":"Observation"}},
                 {"request":{"method":"GET","url":"Patient?identifier=urn:cw|t1"}},
                 {"request":{"method":"GET","url":"Patient/%s"}}
                ]}""".formatted(patient("t1", "New"), patient("t3", "Fresh"), keep);
        var response = fhir().body(bundle).post("").then().statusCode(200)
                .body("entry[0].response.status", equalTo("200 OK"))
                .body("entry[0].response.location", containsString("Patient/" + keep + "/_history/2"))
                .body("entry[1].response.status", equalTo("201 Created"))
                .body("entry[2].response.status", equalTo("204 No Content"))
                .body("entry[4].resource.resourceType", equalTo("Bundle"))
                .body("entry[4].resource.type", equalTo("searchset"))
                .body("entry[4].resource.entry[0].resource.id", equalTo(keep))
                .body("entry[4].resource.entry[0].resource.name[0].family", equalTo("New"))
                .body("entry[5].resource.id", equalTo(keep)).extract();
        String obs = response.path("entry[3].response.location");
        fhir().get("/" + obs.substring(0, obs.indexOf("/_history"))).then()
                .body("subject.reference", equalTo("Patient/" + keep));
        fhir().get("/Patient/" + drop).then().statusCode(410);
        List<String> fresh = fhir().get("/Patient?identifier=urn:cw|t3").then().body("total", equalTo(1)).extract()
                .path("entry.resource.name[0].family");
        assertThat(fresh).containsExactly("Fresh");
    }

    @Test
    void aTransactionWhoseConditionalUpdateMatchesSeveralIsRolledBack() {
        fhir().body(patient("t4", "A")).post("/Patient").then().statusCode(201);
        fhir().body(patient("t4", "B")).post("/Patient").then().statusCode(201);
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"resource":{"resourceType":"Patient","id":"cw-rolled-back"},"request":{"method":"PUT","url":"Patient/cw-rolled-back"}},
                 {"resource":%s,"request":{"method":"PUT","url":"Patient?identifier=urn:cw|t4"}}
                ]}""".formatted(patient("t4", "C"));
        fhir().body(bundle).post("").then().statusCode(412).body("issue[0].diagnostics", containsString("Bundle.entry[1]"));
        fhir().get("/Patient/cw-rolled-back").then().statusCode(404);
    }

    @Test
    void batchGetEntriesAnswerSearchsetsAndMissingReadsAre404() {
        fhir().body(patient("b1", "Batch")).post("/Patient").then().statusCode(201);
        String bundle = """
                {"resourceType":"Bundle","type":"batch","entry":[
                 {"request":{"method":"GET","url":"Patient?identifier=urn:cw|b1&_count=1"}},
                 {"request":{"method":"GET","url":"Patient/cw-never-there"}},
                 {"request":{"method":"GET","url":"Patient?nonsense=1"}}
                ]}""";
        fhir().body(bundle).post("").then().statusCode(200)
                .body("entry[0].response.status", equalTo("200 OK"))
                .body("entry[0].resource.type", equalTo("searchset"))
                .body("entry[0].resource.entry[0].resource.name[0].family", equalTo("Batch"))
                .body("entry[1].response.status", containsString("404"))
                .body("entry[2].response.status", containsString("400"));
    }
}
