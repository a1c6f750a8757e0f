package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.concilium.demo.DemoMeasures;
import org.concilium.demo.SyntheticPopulation;
import org.concilium.store.SearchParameterCatalog;
import org.concilium.store.SearchParam;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

/**
 * Sends generated malformed or mutated input (resources, searches, operation parameters, Bundles,
 * headers) to a running node, starting from real content (synthetic patients, the demo measures).
 * Every answer is a 2xx (the mutation was still valid) or a 4xx OperationOutcome, never a 5xx;
 * structurally broken bodies are always a 400. Afterwards the node is up and every resource it had
 * acknowledged before reads back byte for byte. Replay a run with -Dfuzz.seed=N.
 */
@QuarkusTest
class GeneratedInputFuzzTest extends FhirTestBase {

    private static final long SEED = Long.getLong("fuzz.seed", 20261126L);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HostileValues values = new HostileValues(new Random(SEED));
    private final JsonMutator mutator = new JsonMutator(values);
    private final Map<String, int[]> tally = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> resources = new ArrayList<>();
    private final List<String> bundles = new ArrayList<>();
    private int sequence;

    @Test
    void generatedHostileInputNeverGivesA5xxAndAcknowledgedDataSurvives() throws Exception {
        Map<String, String> acknowledged = acknowledge();
        sources();

        // jqwik generators outside its own engine need a session on this thread
        JqwikSession.start();
        try {
            repeat("resource", 320, this::resource);
            repeat("search", 320, this::search);
            repeat("operation", 160, this::operation);
            repeat("bundle", 220, this::bundle);
            repeat("header", 220, this::header);
        } finally {
            JqwikSession.finish();
        }

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("seed", SEED);
        tally.forEach((cls, c) -> figures.put(cls, Map.of("sent", c[0], "2xx", c[2], "3xx", c[3], "4xx", c[4],
                "5xx", c[5], "clientSkipped", c[6])));
        System.out.println("FUZZ " + MAPPER.writeValueAsString(figures));
        assertThat(failures).as("answers that were a 5xx or not an OperationOutcome").isEmpty();
        assertThat(tally.values().stream().mapToInt(c -> c[0]).sum()).isGreaterThanOrEqualTo(1_000);
        tally.forEach((cls, c) -> assertThat(c[4]).as(cls + " 4xx answers").isPositive());

        fhir().get("/metadata").then().statusCode(200);
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
        acknowledged.forEach((ref, body) -> assertThat(fhir().get("/" + ref).then().statusCode(200).extract()
                .asString()).as(ref).isEqualTo(body));
    }

    /** Resources the node acknowledged before the fuzzing, with their stored bodies. */
    private Map<String, String> acknowledge() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String bundle : SyntheticPopulation.generate(11, 0, 6, 3)) {
            List<String> locations = fhir().body(bundle).post("").then().statusCode(200).extract()
                    .path("entry.response.location");
            for (String location : locations) {
                String ref = location.substring(0, location.indexOf("/_history"));
                out.put(ref, fhir().get("/" + ref).then().statusCode(200).extract().asString());
            }
        }
        for (String id : DemoMeasures.IDS) {
            fhir().body(DemoMeasures.json(id)).put("/Measure/" + id).then().statusCode(org.hamcrest.Matchers
                    .anyOf(org.hamcrest.Matchers.equalTo(200), org.hamcrest.Matchers.equalTo(201)));
            out.put("Measure/" + id, fhir().get("/Measure/" + id).then().statusCode(200).extract().asString());
        }
        return out;
    }

    /** Valid content the mutations start from: other synthetic patients' Bundles and their resources. */
    private void sources() throws Exception {
        for (String bundle : SyntheticPopulation.generate(99, 1, 4, 1)) {
            bundles.add(bundle);
            for (JsonNode entry : MAPPER.readTree(bundle).path("entry")) {
                resources.add(MAPPER.writeValueAsString(entry.path("resource")));
            }
        }
        DemoMeasures.IDS.forEach(id -> resources.add(DemoMeasures.json(id)));
    }

    private Response resource() {
        String source = values.pick(resources);
        String type = typeOf(source);
        boolean broken = values.chance(15);
        String body = broken ? mutator.broken(source) : mutator.mutate(source);
        String expect = broken ? "400" : "any";
        if (values.chance(40)) {
            String id = "fuzz-" + sequence++;
            body = body.replaceFirst("\\{", "{\"id\":\"" + id + "\",");
            return expectThen(expect, fhir().body(body).put("/" + type + "/" + id));
        }
        return expectThen(expect, fhir().body(body).post("/" + type));
    }

    private Response search() {
        String type = values.chance(90) ? values.pick(List.copyOf(SearchParameterCatalog.types()))
                : values.pick(List.of("patient", "Patient%00", "Spaceship", "Patient%2F..", "_history"));
        List<String> names = new ArrayList<>(SearchParameterCatalog.types().contains(type)
                ? SearchParameterCatalog.params(type).stream().map(SearchParam::name).toList() : List.of("_id"));
        names.addAll(List.of("_count", "_offset", "_summary", "_format", "_sort", "_include", "_elements", "x"));
        StringBuilder q = new StringBuilder();
        for (int i = 0, n = 1 + values.nextInt(4); i < n; i++) {
            String name = values.pick(names) + (values.chance(15) ? values.pick(List.of(":exact", ":missing",
                    ":not", ":text", ":", ":above", "%00")) : "");
            String value = values.chance(70) ? values.string() : values.pick(HostileValues.EDGE);
            q.append(i == 0 ? "?" : "&").append(name).append('=').append(values.urlEncoded(value));
        }
        if (values.chance(15)) {
            return fhir().urlEncodingEnabled(false).contentType("application/x-www-form-urlencoded")
                    .body(q.substring(1)).post("/" + type + "/_search");
        }
        return fhir().urlEncodingEnabled(false).get("/" + type + q);
    }

    private Response operation() {
        String measure = values.chance(70) ? values.pick(DemoMeasures.IDS) : values.urlEncoded(values.string());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("periodStart", values.chance(50) ? "2024-01-01" : values.string());
        params.put("periodEnd", values.chance(50) ? "2024-12-31" : values.string());
        if (values.chance(60)) {
            params.put(values.pick(List.of("reportType", "subject", "practitioner", "measure", "dataEndpoint",
                    "lastReceivedOn", "productLine", "x")), values.chance(50) ? values.pick(List.of("population",
                    "subject", "subject-list", "Patient/x", "http://127.0.0.1:1/fhir")) : values.string());
        }
        if (values.chance(35)) {
            StringBuilder b = new StringBuilder("{\"resourceType\":\"Parameters\",\"parameter\":[");
            params.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '[' ? "" : ",").append("{\"name\":")
                    .append(HostileValues.jsonString(k)).append(",\"valueString\":").append(HostileValues.jsonString(v))
                    .append('}'));
            String body = values.chance(50) ? mutator.mutate(b + "]}") : b + "]}";
            return fhir().body(body).post("/Measure/" + measure + "/$evaluate-measure");
        }
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(k).append('=').append(values.urlEncoded(v)));
        String path = values.chance(80) ? "/Measure/" + measure + "/$evaluate-measure"
                : "/Measure/$evaluate-measure" + (values.chance(50) ? "" : "?measure=" + measure);
        return fhir().urlEncodingEnabled(false).get(path + (path.contains("?") ? q.toString().replace('?', '&') : q));
    }

    private Response bundle() throws Exception {
        String source = values.pick(bundles);
        JsonNode root = MAPPER.readTree(source);
        var entries = (com.fasterxml.jackson.databind.node.ArrayNode) root.path("entry");
        for (int i = 0, n = 1 + values.nextInt(3); i < n && !entries.isEmpty(); i++) {
            var request = (com.fasterxml.jackson.databind.node.ObjectNode) entries.get(values.nextInt(entries.size()))
                    .path("request");
            switch (values.nextInt(7)) {
                case 0 -> request.put("method", values.pick(List.of("PUT", "DELETE", "GET", "PATCH", "HEAD", "post", "")));
                case 1 -> request.put("url", values.string());
                case 2 -> request.put("ifNoneExist", values.pick(List.of("identifier=", "x=1", "identifier=a%00b",
                        "identifier=%zz", "_id=" + values.string(), values.string())));
                case 3 -> request.put("ifMatch", values.pick(List.of("W/\"1\"", "W/\"x\"", "\"", values.string())));
                case 4 -> ((com.fasterxml.jackson.databind.node.ObjectNode) entries.get(0)).put("fullUrl",
                        values.string());
                case 5 -> ((com.fasterxml.jackson.databind.node.ObjectNode) root).put("type", values.pick(List.of(
                        "batch", "collection", "document", "searchset", "", values.string())));
                default -> entries.add(entries.get(values.nextInt(entries.size())).deepCopy());
            }
        }
        String body = MAPPER.writeValueAsString(root);
        if (values.chance(30)) {
            body = mutator.mutate(body);
        }
        return fhir().body(body).post("");
    }

    private Response header() {
        RequestSpecification r = fhir();
        List<String> media = List.of("application/fhir+json", "application/fhir+xml", "application/json",
                "application/xml", "text/plain", "text/html", "*/*", "application/octet-stream",
                "application/fhir+json; charset=iso-8859-1", "application/fhir+json; fhirVersion=3.0",
                "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "image/png");
        if (values.chance(60)) {
            r = r.contentType(values.pick(media));
        }
        if (values.chance(60)) {
            r = r.accept(values.pick(media));
        }
        for (String h : List.of("If-Match", "If-None-Match", "If-None-Exist", "Prefer", "If-Modified-Since",
                "X-Request-Id", "Authorization", "Content-Encoding", "Range")) {
            if (values.chance(25)) {
                r = r.header(h, printable(values.chance(50) ? values.string() : values.pick(List.of("W/\"1\"", "*",
                        "return=minimal", "respond-async", "handling=strict", "identifier=x|y", "gzip", "bytes=0-1",
                        "Bearer x", "W/\"-1\""))));
            }
        }
        String id = "fuzzh-" + values.nextInt(20);
        byte[] body = (values.chance(70) ? "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}" : values.string())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return switch (values.nextInt(6)) {
            case 0 -> r.get("/Patient/" + id);
            case 1 -> r.body(body).put("/Patient/" + id);
            case 2 -> r.body(body).post("/Patient");
            case 3 -> r.get("/Patient?_count=2");
            case 4 -> r.delete("/Patient/" + id);
            default -> r.body(body).post("");
        };
    }

    /** Header values must be sendable at all: drop what the HTTP client itself refuses to put on the wire. */
    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private interface Request {
        Response send() throws Exception;
    }

    private void repeat(String cls, int times, Request request) {
        for (int i = 0; i < times; i++) {
            int[] c = tally.computeIfAbsent(cls, k -> new int[7]);
            Response r;
            try {
                r = request.send();
            } catch (Exception | AssertionError e) {
                if (e instanceof ExpectationFailed f) {
                    failures.add(cls + ": " + f.getMessage());
                    c[0]++;
                    continue;
                }
                if (c[6]++ < 3) {
                    System.out.println("FUZZ the client could not send a " + cls + ": " + e);
                }
                continue;
            }
            c[0]++;
            c[r.statusCode() / 100]++;
            judge(cls, r);
        }
    }

    private void judge(String cls, Response r) {
        int s = r.statusCode();
        String body = r.asString();
        if (s >= 500 || (s >= 400 && !body.contains("OperationOutcome"))) {
            failures.add(cls + " -> " + s + " " + (body.length() > 300 ? body.substring(0, 300) : body));
        }
    }

    /** A structurally broken body must be a 400, not just any 4xx. */
    private Response expectThen(String expect, Response r) {
        if ("400".equals(expect) && r.statusCode() != 400) {
            throw new ExpectationFailed("a broken body answered " + r.statusCode() + " " + r.asString());
        }
        return r;
    }

    private static final class ExpectationFailed extends RuntimeException {
        ExpectationFailed(String message) {
            super(message);
        }
    }

    private static String typeOf(String json) {
        try {
            return MAPPER.readTree(json).path("resourceType").asText();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static {
        RestAssured.config = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 60_000).setParam("http.connection.timeout", 10_000));
    }
}
