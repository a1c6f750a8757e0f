package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bulk Data $export: async kick-off, status polling, manifest, NDJSON files, _type/_since/_typeFilter, Group, cancel. */
@QuarkusTest
class BulkExportTest extends FhirTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String patientId;

    /** One patient with an encounter and three observations (own code system: other tests' searches stay unaffected). */
    private static synchronized String patientId() {
        if (patientId != null) {
            return patientId;
        }
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:0b0e7f3c-0000-4000-8000-0000000000a1","resource":{"resourceType":"Patient",
                   "identifier":[{"system":"urn:bulk-test","value":"p1"}]},"request":{"method":"POST","url":"Patient"}},
                 {"resource":{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},
                   "subject":{"reference":"urn:uuid:0b0e7f3c-0000-4000-8000-0000000000a1"}},
                  "request":{"method":"POST","url":"Encounter"}},
                 {"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"urn:bulk-test",
                   "code":"height"}]},"subject":{"reference":"urn:uuid:0b0e7f3c-0000-4000-8000-0000000000a1"}},
                  "request":{"method":"POST","url":"Observation"}},
                 {"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"urn:bulk-test",
                   "code":"height"}]},"subject":{"reference":"urn:uuid:0b0e7f3c-0000-4000-8000-0000000000a1"}},
                  "request":{"method":"POST","url":"Observation"}},
                 {"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"urn:bulk-test",
                   "code":"weight"}]},"subject":{"reference":"urn:uuid:0b0e7f3c-0000-4000-8000-0000000000a1"}},
                  "request":{"method":"POST","url":"Observation"}}
                ]}""";
        String location = fhir().body(bundle).post("").then().statusCode(200).extract().path("entry[0].response.location");
        patientId = location.split("/")[1];
        return patientId;
    }

    /** Kicks off, polls the status URL until 200, and returns the manifest. */
    private static JsonNode export(String path) throws Exception {
        String status = fhir().header("Prefer", "respond-async").urlEncodingEnabled(false).get(path).then()
                .statusCode(202).header("Content-Location", notNullValue()).extract().header("Content-Location");
        String statusPath = status.substring(status.indexOf("/fhir") + 5);
        for (int i = 0; i < 600; i++) {
            ExtractableResponse<Response> r = fhir().get(statusPath).then().extract();
            if (r.statusCode() == 200) {
                return JSON.readTree(r.asString());
            }
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(r.header("X-Progress")).isNotBlank();
            Thread.sleep(100);
        }
        throw new AssertionError("export did not finish");
    }

    /** type -> lines of every output file of the manifest. */
    private static Map<String, List<JsonNode>> files(JsonNode manifest) throws Exception {
        assertThat(manifest.path("requiresAccessToken").asBoolean()).isTrue();
        Map<String, List<JsonNode>> out = new HashMap<>();
        for (JsonNode o : manifest.path("output")) {
            String url = o.path("url").asText();
            String ndjson = fhir().accept("application/fhir+ndjson").get(url.substring(url.indexOf("/fhir") + 5)).then()
                    .statusCode(200).contentType(BulkDataResource.NDJSON).extract().asString();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : ndjson.split("\n")) {
                JsonNode r = JSON.readTree(line);
                assertThat(r.path("resourceType").asText()).isEqualTo(o.path("type").asText());
                lines.add(r);
            }
            assertThat(lines).hasSize(o.path("count").asInt());
            // a type may come in several files (the fast path writes parts of a type at once)
            out.computeIfAbsent(o.path("type").asText(), t -> new ArrayList<>()).addAll(lines);
        }
        return out;
    }

    private static int count(String query) {
        return fhir().get(query + (query.contains("?") ? "&" : "?") + "_summary=count").then().statusCode(200)
                .extract().path("total");
    }

    @Test
    void systemExportOfTypesMatchesTheStore() throws Exception {
        patientId();
        Map<String, List<JsonNode>> files = files(export("/$export?_type=Patient,Observation"));
        assertThat(files.keySet()).containsExactlyInAnyOrder("Patient", "Observation");
        assertThat(files.get("Patient")).hasSize(count("/Patient"));
        assertThat(files.get("Observation")).hasSize(count("/Observation"));
        assertThat(files.get("Observation").stream().map(n -> n.path("id").asText()).distinct()).hasSize(
                files.get("Observation").size());
    }

    @Test
    void sinceLeavesOutOlderResources() throws Exception {
        String since = java.time.Instant.now().toString();
        Thread.sleep(5);
        String id = fhir().body("{\"resourceType\":\"Organization\",\"name\":\"bulk-since\"}").post("/Organization")
                .then().statusCode(201).extract().path("id");
        Map<String, List<JsonNode>> files = files(export("/$export?_type=Organization&_since=" + since));
        assertThat(files.get("Organization")).extracting(n -> n.path("id").asText()).containsExactly(id);
    }

    @Test
    void groupExportHoldsOnlyItsMembersCompartmentsFilteredByTypeFilter() throws Exception {
        String patientId = patientId();
        fhir().body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"NotInGroup\"}]}").post("/Patient").then()
                .statusCode(201);
        String group = fhir().body("{\"resourceType\":\"Group\",\"type\":\"person\",\"actual\":true,"
                + "\"member\":[{\"entity\":{\"reference\":\"Patient/" + patientId + "\"}}]}").post("/Group").then()
                .statusCode(201).extract().path("id");
        Map<String, List<JsonNode>> files = files(export("/Group/" + group + "/$export?_type=Patient,Observation,Encounter"
                + "&_typeFilter=Observation%3Fcode%3Durn:bulk-test%7Cheight"));
        assertThat(files.get("Patient")).extracting(n -> n.path("id").asText()).containsExactly(patientId);
        assertThat(files.get("Encounter")).hasSize(count("/Encounter?patient=" + patientId));
        int heights = count("/Observation?patient=" + patientId + "&code=urn:bulk-test|height");
        assertThat(heights).isPositive();
        assertThat(files.get("Observation")).hasSize(heights)
                .allSatisfy(o -> assertThat(o.path("code").path("coding").get(0).path("code").asText()).isEqualTo("height"));
    }

    @Test
    void patientLevelExportLeavesOutTypesOutsideTheCompartment() throws Exception {
        patientId();
        fhir().body("{\"resourceType\":\"Organization\",\"name\":\"not-in-a-compartment\"}").post("/Organization")
                .then().statusCode(201);
        Map<String, List<JsonNode>> files = files(export("/Patient/$export"));
        assertThat(files).containsKey("Patient").doesNotContainKeys("Organization", "Practitioner", "Measure");
        fhir().header("Prefer", "respond-async").get("/Patient/$export?_type=Organization").then().statusCode(400);
    }

    @Test
    void kickOffNeedsRespondAsyncAndKnownParameters() {
        fhir().get("/$export").then().statusCode(400);
        fhir().header("Prefer", "respond-async").get("/$export?_outputFormat=text/csv").then().statusCode(400);
        fhir().header("Prefer", "respond-async").get("/$export?_elements=id").then().statusCode(400);
        fhir().header("Prefer", "respond-async").urlEncodingEnabled(false)
                .get("/$export?_typeFilter=Observation%3Fnonsense%3D1&_type=Observation").then().statusCode(400);
        fhir().get("/$export-status/not-a-job").then().statusCode(404);
    }

    @Test
    void deletingTheStatusUrlDiscardsTheExport() throws Exception {
        String status = fhir().header("Prefer", "respond-async").get("/$export?_type=Patient").then().statusCode(202)
                .extract().header("Content-Location");
        String statusPath = status.substring(status.indexOf("/fhir") + 5);
        fhir().delete(statusPath).then().statusCode(202);
        fhir().get(statusPath).then().statusCode(404).body("resourceType", equalTo("OperationOutcome"));
    }
}
