package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** NUL, other control characters and unpaired surrogates are refused with a 400 before the database. */
@QuarkusTest
class HostileTextTest extends FhirTestBase {

    private static final List<String> BAD_ESCAPES = List.of("\\u0000", "\\ud800", "\\udfff", "\\u0007", "x\\ud800y",
            "\\udc00\\ud800");

    @Test
    void hostileStringsInAResourceAre400() {
        for (String bad : BAD_ESCAPES) {
            String family = "fam" + bad;
            fhir().body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}").post("/Patient")
                    .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].diagnostics", containsString("FHIR text"));
            String id = "hostile-" + UUID.randomUUID();
            fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"extension\":[{\"url\":\"urn:x"
                    + bad + "\",\"valueString\":\"v\"}]}").put("/Patient/" + id).then().statusCode(400);
            fhir().get("/Patient/" + id).then().statusCode(404);
        }
    }

    @Test
    void aValidSurrogatePairIsStoredAndReadBack() {
        String id = fhir().body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"emoji \\ud83d\\ude00\"}]}")
                .post("/Patient").then().statusCode(201).extract().path("id");
        fhir().get("/Patient/" + id).then().statusCode(200).body("name[0].family", equalTo("emoji \ud83d\ude00"));
    }

    @Test
    void aHostileEntryRollsBackItsWholeTransaction() {
        String value = UUID.randomUUID().toString();
        fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:t\",\"value\":\""
                + value + "\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"a\\u0000b\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}").post("").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        fhir().get("/Patient?identifier=urn:t|" + value).then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void hostileSearchValuesAndConditionalCriteriaAre400() {
        fhir().urlEncodingEnabled(false).get("/Patient?name=a%00b").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        fhir().urlEncodingEnabled(false).get("/Patient?identifier=%00").then().statusCode(400);
        fhir().urlEncodingEnabled(false).get("/Patient?_id=%01").then().statusCode(400);
        fhir().contentType("application/x-www-form-urlencoded").formParam("identifier", "a\u0000b")
                .post("/Patient/_search").then().statusCode(400);
        fhir().header("If-None-Exist", "identifier=urn:x|a%00b").body("{\"resourceType\":\"Patient\"}")
                .post("/Patient").then().statusCode(400);
        fhir().header("If-None-Exist", "identifier=%zz").body("{\"resourceType\":\"Patient\"}")
                .post("/Patient").then().statusCode(400);
    }

    @Test
    void hostileXmlCharacterReferencesAre400() {
        fhir().contentType("application/fhir+xml").body("<Patient xmlns=\"http://hl7.org/fhir\"><name><family "
                + "value=\"a&#0;b\"/></name></Patient>").post("/Patient").then().statusCode(400);
        fhir().contentType("application/fhir+xml").body("<Patient xmlns=\"http://hl7.org/fhir\"><name><family "
                + "value=\"a&#xD800;b\"/></name></Patient>").post("/Patient").then().statusCode(400);
    }
}
