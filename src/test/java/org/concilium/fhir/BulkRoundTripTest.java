package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.sessions.JqwikSession;
import org.concilium.demo.SyntheticPopulation;
import org.junit.jupiter.api.Test;

/**
 * The fast Bulk Data paths against the rest of the API: an export holds exactly what search returns,
 * {@code _since} is inclusive to the millisecond, an import of new and existing ids keeps every
 * version in the history, and generated malformed NDJSON lines fail one by one, never the job and
 * never with a 5xx.
 */
@QuarkusTest
class BulkRoundTripTest extends FhirTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("fuzz.seed", 20261126L);

    private static String kickOff(io.restassured.specification.RequestSpecification spec, String method, String path) {
        Response r = method.equals("GET") ? spec.header("Prefer", "respond-async").get(path)
                : spec.header("Prefer", "respond-async").post(path);
        String location = r.then().statusCode(202).extract().header("Content-Location");
        return location.substring(location.indexOf("/fhir") + 5);
    }

    /** Polls a status URL (never a 5xx on the way) and returns the manifest. */
    private static JsonNode await(String status) throws Exception {
        for (int i = 0; i < 1200; i++) {
            ExtractableResponse<Response> r = fhir().get(status).then().extract();
            if (r.statusCode() == 200) {
                return JSON.readTree(r.asString());
            }
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
            Thread.sleep(100);
        }
        throw new AssertionError("job did not finish");
    }

    private static String path(String url) {
        return url.substring(url.indexOf("/fhir") + 5);
    }

    /** type -> every exported resource, parsed. */
    private static Map<String, Set<JsonNode>> exported(JsonNode manifest) throws Exception {
        Map<String, Set<JsonNode>> out = new HashMap<>();
        for (JsonNode o : manifest.path("output")) {
            String ndjson = fhir().get(path(o.path("url").asText())).then().statusCode(200).extract().asString();
            Set<JsonNode> lines = new HashSet<>();
            for (String line : ndjson.split("\n")) {
                lines.add(JSON.readTree(line));
            }
            assertThat(lines).hasSize(o.path("count").asInt());
            Set<JsonNode> all = out.computeIfAbsent(o.path("type").asText(), t -> new HashSet<>());
            assertThat(all).as("no resource in two files").doesNotContainAnyElementsOf(lines);
            all.addAll(lines);
        }
        return out;
    }

    /** Every resource a search returns, following the next links. */
    private static Set<JsonNode> searched(String query) throws Exception {
        Set<JsonNode> out = new HashSet<>();
        String next = query;
        while (next != null) {
            JsonNode page = JSON.readTree(fhir().urlEncodingEnabled(false).get(next).then().statusCode(200).extract()
                    .asString());
            page.path("entry").forEach(e -> out.add(e.path("resource")));
            next = null;
            for (JsonNode link : page.path("link")) {
                if (link.path("relation").asText().equals("next")) {
                    next = path(link.path("url").asText());
                }
            }
        }
        return out;
    }

    @Test
    void anExportHoldsExactlyWhatSearchReturns() throws Exception {
        for (String bundle : SyntheticPopulation.generate(5, 0, 8, 2)) {
            fhir().body(bundle).post("").then().statusCode(200);
        }
        Map<String, Set<JsonNode>> files = exported(await(kickOff(fhir(), "GET",
                "/$export?_type=Patient,Observation,Encounter,Condition")));
        for (String type : List.of("Patient", "Observation", "Encounter", "Condition")) {
            Set<JsonNode> search = searched("/" + type + "?_count=500");
            assertThat(search).as(type).isNotEmpty();
            assertThat(files.getOrDefault(type, Set.of())).as(type + ": export and search, resource by resource")
                    .isEqualTo(search);
        }
        // Patient level: every compartment resource, again the search's set
        Map<String, Set<JsonNode>> compartments = exported(await(kickOff(fhir(), "GET",
                "/Patient/$export?_type=Observation")));
        assertThat(compartments.get("Observation")).isEqualTo(searched("/Observation?_count=500")
                .stream().filter(o -> o.path("subject").path("reference").asText().startsWith("Patient/"))
                .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void sinceIsInclusiveToTheMillisecond() throws Exception {
        JsonNode org = JSON.readTree(fhir().body("{\"resourceType\":\"Organization\",\"name\":\"since-edge\"}")
                .post("/Organization").then().statusCode(201).extract().asString());
        Instant written = Instant.parse(org.path("meta").path("lastUpdated").asText());
        String id = org.path("id").asText();
        Map<String, Set<JsonNode>> at = exported(await(kickOff(fhir(), "GET",
                "/$export?_type=Organization&_since=" + written)));
        assertThat(at.get("Organization")).extracting(n -> n.path("id").asText()).contains(id);
        Map<String, Set<JsonNode>> after = exported(await(kickOff(fhir(), "GET",
                "/$export?_type=Organization&_since=" + written.plusMillis(1))));
        assertThat(after.getOrDefault("Organization", Set.of())).extracting(n -> n.path("id").asText())
                .doesNotContain(id);
    }

    @Test
    void importOfNewAndExistingIdsKeepsEveryVersion() throws Exception {
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"rt-old\",\"name\":[{\"family\":\"Before\"}]}")
                .put("/Patient/rt-old").then().statusCode(201);
        String ndjson = String.join("\n",
                "{\"resourceType\":\"Patient\",\"id\":\"rt-new\",\"name\":[{\"family\":\"New\"}]}",
                "{\"resourceType\":\"Patient\",\"id\":\"rt-old\",\"name\":[{\"family\":\"After\"}]}",
                "{\"resourceType\":\"Observation\",\"id\":\"rt-obs\",\"status\":\"final\",\"code\":{\"coding\":"
                        + "[{\"system\":\"urn:rt\",\"code\":\"x\"}]},\"subject\":{\"reference\":\"Patient/rt-new\"}}",
                "{\"resourceType\":\"Patient\",\"id\":\"rt-new\",\"name\":[{\"family\":\"NewAgain\"}]}") + "\n";
        JsonNode manifest = await(kickOff(fhir().contentType("application/fhir+ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8)), "POST", "/$import"));
        assertThat(manifest.path("error")).isEmpty();

        fhir().get("/Patient/rt-old/_history").then().body("total", equalTo(2));
        fhir().get("/Patient/rt-old/_history/1").then().statusCode(200).body("name[0].family", equalTo("Before"));
        fhir().get("/Patient/rt-old/_history/2").then().statusCode(200).body("name[0].family", equalTo("After"));
        // a new id repeated in the file: version 1 from its first line, version 2 from its last
        fhir().get("/Patient/rt-new/_history").then().body("total", equalTo(2));
        fhir().get("/Patient/rt-new/_history/1").then().statusCode(200).body("name[0].family", equalTo("New"));
        fhir().get("/Patient/rt-new").then().body("meta.versionId", equalTo("2"))
                .body("name[0].family", equalTo("NewAgain"));
        fhir().get("/Observation/rt-obs/_history/1").then().statusCode(200);
        // indexed like any write
        fhir().get("/Observation?code=urn:rt|x&subject=Patient/rt-new").then().body("total", equalTo(1));
    }

    /**
     * A file of several chunks (parsed ahead on several threads, written in order): ids recur within a
     * chunk and across chunks, some lines are bad (a bad id; a control character spelt as an escape,
     * which only the full text check catches). Each id ends with its last good line, with one
     * version per good line, and each bad line has its OperationOutcome.
     */
    @Test
    void aFileOfSeveralChunksEndsWithEachIdsLastLine() throws Exception {
        int lines = 2_600;
        int ids = 900;
        StringBuilder ndjson = new StringBuilder();
        Set<Integer> bad = new TreeSet<>();
        Map<Integer, List<Integer>> goodLinesById = new HashMap<>();
        for (int k = 1; k <= lines; k++) {
            int id = k % ids;
            if (k % 97 == 0) {
                bad.add(k);
                ndjson.append("{\"resourceType\":\"Patient\",\"id\":\"rt-ch-").append(id).append("!\"}\n");
            } else if (k % 211 == 0) {
                bad.add(k);
                ndjson.append("{\"resourceType\":\"Patient\",\"id\":\"rt-ch-").append(id)
                        .append("\",\"name\":[{\"family\":\"L\\u0001").append(k).append("\"}]}\n");
            } else {
                goodLinesById.computeIfAbsent(id, x -> new ArrayList<>()).add(k);
                ndjson.append("{\"resourceType\":\"Patient\",\"id\":\"rt-ch-").append(id)
                        .append("\",\"name\":[{\"family\":\"L").append(k).append(k % 5 == 0 ? "\\u00e9" : "")
                        .append("\"}]}\n");
            }
        }
        JsonNode manifest = await(kickOff(fhir().contentType("application/fhir+ndjson")
                .body(ndjson.toString().getBytes(StandardCharsets.UTF_8)), "POST", "/$import"));
        assertThat(manifest.path("output").get(0).path("count").asInt()).isEqualTo(lines - bad.size());
        assertThat(manifest.path("error").get(0).path("count").asInt()).isEqualTo(bad.size());
        Set<Integer> reported = new TreeSet<>();
        for (String line : fhir().get(path(manifest.path("error").get(0).path("url").asText())).then().statusCode(200)
                .extract().asString().split("\n")) {
            Matcher m = Pattern.compile("upload\\.ndjson line (\\d+):").matcher(line);
            assertThat(m.find()).as(line).isTrue();
            reported.add(Integer.parseInt(m.group(1)));
        }
        assertThat(reported).isEqualTo(bad);
        // current versions in one search, histories of a few ids (each request is slow on a loaded machine)
        List<String> checked = new ArrayList<>();
        for (int id = 0; id < ids; id += 9) { // 100 ids: the most one OR list may hold
            checked.add("rt-ch-" + id);
        }
        JsonNode page = JSON.readTree(fhir().get("/Patient?_count=100&_id=" + String.join(",", checked)).then()
                .statusCode(200).extract().asString());
        Map<String, JsonNode> current = new HashMap<>();
        page.path("entry").forEach(e -> current.put(e.path("resource").path("id").asText(), e.path("resource")));
        assertThat(current.keySet()).containsExactlyInAnyOrderElementsOf(checked);
        for (int id = 0; id < ids; id += 9) { // 100 ids: the most one OR list may hold
            List<Integer> good = goodLinesById.get(id);
            JsonNode r = current.get("rt-ch-" + id);
            assertThat(r.path("meta").path("versionId").asText()).isEqualTo(Integer.toString(good.size()));
            assertThat(r.path("name").get(0).path("family").asText()).isEqualTo(family(good.get(good.size() - 1)));
        }
        for (int id = 0; id < ids; id += 90) {
            List<Integer> good = goodLinesById.get(id);
            fhir().get("/Patient/rt-ch-" + id + "/_history").then().body("total", equalTo(good.size()));
            fhir().get("/Patient/rt-ch-" + id + "/_history/1").then().statusCode(200)
                    .body("name[0].family", equalTo(family(good.get(0))));
        }
    }

    private static String family(int line) {
        return "L" + line + (line % 5 == 0 ? "\u00e9" : "");
    }

    @Test
    void generatedMalformedLinesFailOneByOne() throws Exception {
        Random random = new Random(SEED);
        HostileValues values = new HostileValues(random);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Set<Integer> bad = new TreeSet<>();
        List<String> good = new ArrayList<>();
        JqwikSession.start();
        try {
            for (int line = 1; line <= 150; line++) {
                if (values.chance(40)) {
                    bad.add(line);
                    body.write(malformed(values, random.nextInt(6)));
                } else {
                    String id = "rt-fz-" + line + "-" + values.draw(Arbitraries.strings().alpha().numeric().ofMaxLength(8));
                    good.add(id);
                    body.write(("{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\""
                            + values.draw(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)) + "\"}]}")
                            .getBytes(StandardCharsets.UTF_8));
                }
                body.write('\n');
            }
        } finally {
            JqwikSession.finish();
        }
        JsonNode manifest = await(kickOff(fhir().contentType("application/fhir+ndjson").body(body.toByteArray()),
                "POST", "/$import"));
        assertThat(manifest.path("output").get(0).path("type").asText()).isEqualTo("Patient");
        assertThat(manifest.path("output").get(0).path("count").asInt()).isEqualTo(good.size());
        assertThat(manifest.path("error").get(0).path("count").asInt()).isEqualTo(bad.size());
        String errors = fhir().get(path(manifest.path("error").get(0).path("url").asText())).then().statusCode(200)
                .extract().asString();
        Set<Integer> reported = new TreeSet<>();
        for (String line : errors.split("\n")) {
            JsonNode oo = JSON.readTree(line);
            assertThat(oo.path("resourceType").asText()).isEqualTo("OperationOutcome");
            Matcher m = Pattern.compile("upload\\.ndjson line (\\d+):").matcher(oo.path("issue").get(0)
                    .path("diagnostics").asText());
            assertThat(m.find()).as(line).isTrue();
            reported.add(Integer.parseInt(m.group(1)));
        }
        assertThat(reported).as("one OperationOutcome per malformed line, seed " + SEED).isEqualTo(bad);
        for (String id : good) {
            fhir().get("/Patient/" + id).then().statusCode(200);
        }
    }

    /** A line that cannot be imported, whatever the generator draws. */
    private static byte[] malformed(HostileValues values, int kind) {
        String text = switch (kind) {
            case 0 -> "{" + values.string(); // never closed: not JSON
            case 1 -> "{\"resourceType\":\"" + values.draw(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(9))
                    + "Zq\"}"; // no such type
            case 2 -> "{\"resourceType\":\"Patient\",\"id\":\"" + values.draw(Arbitraries.strings().alpha()
                    .ofMaxLength(9)) + "!bad id\"}";
            case 3 -> "{\"resourceType\":\"Observation\",\"status\":\"" + values.draw(Arbitraries.strings().alpha()
                    .ofMaxLength(9)) + "-zq\",\"code\":{\"text\":\"x\"}}";
            case 4 -> "[" + values.nextInt(1000) + "]";
            default -> null;
        };
        if (text != null) {
            return text.replace('\n', ' ').replace('\r', ' ').getBytes(StandardCharsets.UTF_8);
        }
        // bytes that are not UTF-8 inside an id
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"resourceType\":\"Patient\",\"id\":\"x".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3});
        out.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
