package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** $import: uploaded NDJSON and files from an allowed folder, with one OperationOutcome per failed line. */
@QuarkusTest
class BulkImportTest extends FhirTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode await(String statusUrl) throws Exception {
        String path = statusUrl.substring(statusUrl.indexOf("/fhir") + 5);
        for (int i = 0; i < 600; i++) {
            ExtractableResponse<Response> r = fhir().get(path).then().extract();
            if (r.statusCode() == 200) {
                return JSON.readTree(r.asString());
            }
            assertThat(r.statusCode()).isEqualTo(202);
            Thread.sleep(100);
        }
        throw new AssertionError("import did not finish");
    }

    private static Map<String, Integer> counts(JsonNode manifest) {
        Map<String, Integer> out = new HashMap<>();
        manifest.path("output").forEach(o -> out.put(o.path("type").asText(), o.path("count").asInt()));
        return out;
    }

    @Test
    void uploadedLinesAreWrittenUnderTheirIdsAndBadLinesReported() throws Exception {
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"imp-existing\",\"name\":[{\"family\":\"Before\"}]}")
                .put("/Patient/imp-existing").then().statusCode(201);
        String ndjson = String.join("\n",
                "{\"resourceType\":\"Patient\",\"id\":\"imp-new\",\"name\":[{\"family\":\"Imported\"}]}",
                "{\"resourceType\":\"Patient\",\"id\":\"imp-existing\",\"name\":[{\"family\":\"After\"}]}",
                "{\"resourceType\":\"Observation\",\"id\":\"imp-obs\",\"status\":\"final\",\"code\":{\"text\":\"imp\"},"
                        + "\"subject\":{\"reference\":\"Patient/imp-new\"}}",
                "{not json",
                "{\"resourceType\":\"Basic\",\"id\":\"imp-basic\"}",
                "{\"resourceType\":\"Observation\",\"id\":\"imp-bad\",\"status\":\"not-a-status\"}") + "\n";
        String status = fhir().contentType("application/fhir+ndjson").header("Prefer", "respond-async")
                .body(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/$import").then().log().ifValidationFails().statusCode(202).extract().header("Content-Location");
        JsonNode manifest = await(status);

        assertThat(counts(manifest)).containsEntry("Patient", 2).containsEntry("Observation", 1);
        assertThat(manifest.path("error").get(0).path("count").asInt()).isEqualTo(3);
        String url = manifest.path("error").get(0).path("url").asText();
        String errors = fhir().get(url.substring(url.indexOf("/fhir") + 5)).then().statusCode(200).extract().asString();
        assertThat(errors.split("\n")).hasSize(3);
        assertThat(errors).contains("line 4").contains("line 5").contains("line 6").doesNotContain("line 1:");

        fhir().get("/Patient/imp-existing").then().body("name[0].family", equalTo("After"))
                .body("meta.versionId", equalTo("2"));
        fhir().get("/Observation?subject=Patient/imp-new").then().body("total", equalTo(1));
    }

    @Test
    void folderInputsMustLieInsideAnAllowedFolder() throws Exception {
        Path allowed = Path.of("target/bulk-import-allowed");
        Files.createDirectories(allowed);
        Files.writeString(allowed.resolve("orgs.ndjson"), "{\"resourceType\":\"Organization\",\"id\":\"imp-org-1\"}\n"
                + "{\"resourceType\":\"Organization\",\"id\":\"imp-org-2\"}\n");
        String params = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"input\",\"part\":[{\"name\":\"url\","
                + "\"valueUri\":\"" + allowed.toAbsolutePath().toUri() + "\"}]}]}";
        String status = fhir().header("Prefer", "respond-async").body(params).post("/$import").then().log().ifValidationFails().statusCode(202)
                .extract().header("Content-Location");
        assertThat(counts(await(status))).containsEntry("Organization", 2);
        fhir().get("/Organization/imp-org-2").then().statusCode(200);

        Path outside = Files.createTempFile("outside", ".ndjson");
        String refused = params.replace(allowed.toAbsolutePath().toUri().toString(), outside.toUri().toString());
        fhir().header("Prefer", "respond-async").body(refused).post("/$import").then().statusCode(403);
        String sneaky = params.replace(allowed.toAbsolutePath().toUri().toString(),
                allowed.toAbsolutePath().toUri() + "../../pom.xml");
        fhir().header("Prefer", "respond-async").body(sneaky).post("/$import").then().statusCode(403);
        fhir().contentType("application/fhir+ndjson").body("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/$import").then().statusCode(400);
    }
}
