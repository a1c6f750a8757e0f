package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.concilium.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The default ingest policy (lenient): resources whose only problems are cardinality or dangling
 * local references are stored with warnings, and their patients count in measures; unparsable R4
 * and the store's own rules are still refused. {@link StrictIngestTest} shows the strict policy.
 */
@QuarkusTest
class IngestPolicyTest extends FhirTestBase {

    static final String ENCOUNTER_WITHOUT_CLASS = """
            {"resourceType":"Encounter","id":"%s","status":"finished","subject":{"reference":"Patient/%s"},
             "period":{"start":"2024-05-01T10:00:00Z","end":"2024-05-01T11:00:00Z"}}""";

    /** A Library whose CQL has a syntax error on line 4 (the definition lacks its closing bracket). */
    static String brokenCqlLibrary(String id) {
        String cql = """
                library %s version '1.0.0'
                using FHIR version '4.0.1'
                context Patient
                define "Visits": exists [Encounter""".formatted(id.replace("-", ""));
        return """
                {"resourceType":"Library","id":"%s","url":"http://example.org/fhir/Library/%s","name":"%s","version":"1.0.0",
                 "status":"active","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/library-type","code":"logic-library"}]},
                 "content":[{"contentType":"text/cql","data":"%s"}]}""".formatted(id, id.replace("-", ""), id.replace("-", ""),
                java.util.Base64.getEncoder().encodeToString(cql.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void libraryWhoseCqlDoesNotCompileIsStoredWithItsErrorsAsWarnings() {
        fhir().header("Prefer", "return=OperationOutcome").body(brokenCqlLibrary("ingest-broken-cql"))
                .put("/Library/ingest-broken-cql").then().statusCode(201)
                .body("issue[0].severity", equalTo("information"))
                .body("issue[1].severity", equalTo("warning"))
                .body("issue[1].code", equalTo("processing"))
                .body("issue[1].diagnostics", containsString("ingestbrokencql line 4:"))
                .body("issue[1].expression[0]", equalTo("Library.content"));
        fhir().get("/Library/ingest-broken-cql").then().statusCode(200);
    }

    @Test
    void encounterWithoutClassIsStoredWithAWarningAndItsPatientCounts() {
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"ingest-p1\"}").put("/Patient/ingest-p1").then().statusCode(201);
        fhir().header("Prefer", "return=OperationOutcome").body(ENCOUNTER_WITHOUT_CLASS.formatted("ingest-e1", "ingest-p1"))
                .put("/Encounter/ingest-e1").then().statusCode(201)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("information"))
                .body("issue[1].severity", equalTo("warning"))
                .body("issue[1].code", equalTo("required"))
                .body("issue[1].expression[0]", equalTo("Encounter.class"));
        fhir().get("/Encounter/ingest-e1").then().statusCode(200).body("status", equalTo("finished"));
        fhir().body("""
                {"resourceType":"Measure","id":"ingest-encounters","url":"http://example.org/fhir/Measure/ingest-encounters",
                 "status":"active","scoring":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/measure-scoring","code":"cohort"}]},
                 "group":[{"population":[{"code":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/measure-population",
                 "code":"initial-population"}]},"criteria":{"language":"text/fhirpath",
                 "expression":"%Encounter.where(period.start >= %periodStart and period.end <= %periodEnd).exists()"}}]}]}""")
                .put("/Measure/ingest-encounters").then().statusCode(201);
        fhir().urlEncodingEnabled(false).get("/Measure/ingest-encounters/$evaluate-measure?periodStart=2024&periodEnd=2024"
                + "&subject=Patient/ingest-p1").then().statusCode(200)
                .body("group[0].population[0].count", equalTo(1));
    }

    @Test
    void transactionEntriesCarryTheirWarnings() {
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:6a2c1b8e-0d36-4a55-9f3a-1c1c2f1d0a01","resource":{"resourceType":"Patient"},
                  "request":{"method":"POST","url":"Patient"}},
                 {"resource":%s,"request":{"method":"POST","url":"Encounter"}},
                 {"resource":{"resourceType":"Patient","id":"ingest-p3"},"request":{"method":"PUT","url":"Patient/ingest-p3"}}
                ]}""".formatted(ENCOUNTER_WITHOUT_CLASS.formatted("x", "x")
                .replace("\"id\":\"x\",", "").replace("Patient/x", "urn:uuid:6a2c1b8e-0d36-4a55-9f3a-1c1c2f1d0a01"));
        fhir().body(bundle).post("").then().statusCode(200)
                .body("entry[1].response.status", equalTo("201 Created"))
                .body("entry[1].response.outcome.issue[0].severity", equalTo("warning"))
                .body("entry[1].response.outcome.issue[0].expression[0]", equalTo("Encounter.class"))
                .body("entry[2].response.outcome", equalTo(null));
    }

    @Test
    void connectathonBundleWithDanglingContainedReferencesIsStoredAndItsPatientsCount() throws IOException {
        String bundle = Files.readString(SharedData.dir("clinical-reasoning/connectathon/EXM124-9.0.000-bundle.json"));
        List<String> diagnostics = fhir().body(bundle).post("").then().statusCode(200)
                .extract().path("entry.response.outcome.issue.flatten().diagnostics");
        org.hamcrest.MatcherAssert.assertThat(diagnostics, hasItem(containsString("#cqf-tooling")));
        fhir().urlEncodingEnabled(false)
                .get("/Measure/measure-EXM124-9.0.000/$evaluate-measure?periodStart=2019-01-01&periodEnd=2019-12-31")
                .then().statusCode(200)
                .body("group[0].population.find { it.code.coding[0].code == 'initial-population' }.count", equalTo(3))
                .body("group[0].population.find { it.code.coding[0].code == 'denominator-exclusion' }.count", equalTo(1))
                .body("group[0].population.find { it.code.coding[0].code == 'numerator' }.count", equalTo(1));
    }

    @Test
    void unparsableR4AndTheStoresOwnRulesAreStillRefused() {
        fhir().body("{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"colour\":\"blue\"}").post("/Encounter")
                .then().statusCode(400).body("issue[0].diagnostics", containsString("colour"));
        fhir().body("{\"resourceType\":\"Patient\"}").post("/Encounter").then().statusCode(400);
        fhir().body("""
                {"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Encounter",
                 "status":"finished","subject":{"reference":"urn:uuid:00000000-0000-0000-0000-000000000000"}},
                 "request":{"method":"POST","url":"Encounter"}}]}""").post("").then().statusCode(400);
    }
}
