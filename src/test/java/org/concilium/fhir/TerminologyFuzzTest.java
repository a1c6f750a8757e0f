package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.sessions.JqwikSession;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.junit.jupiter.api.Test;

/**
 * Generated parameters for {@code $expand}, {@code $validate-code} and {@code $lookup} (seeded,
 * replay with -Dfuzz.seed=N): accepted and unknown names, repeated names, hostile values, wrong
 * value types, as query strings and as Parameters bodies. Every answer is a 200, or a 400/404/422
 * OperationOutcome; never a 5xx. Two properties are checked exactly: a non-numeric or negative
 * {@code count}/{@code offset} is always 400, and an unknown parameter name is always 400.
 */
@QuarkusTest
class TerminologyFuzzTest extends FhirTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final long SEED = Long.getLong("fuzz.seed", 20261126L);
    private static final List<String> NAMES = List.of("url", "valueSetVersion", "valueSet", "filter", "count", "offset",
            "includeDesignations", "code", "system", "display", "coding", "codeableConcept", "version", "bogus", "");
    private static final List<String> OPERATIONS = List.of("/ValueSet/$expand", "/ValueSet/term-is-a/$expand",
            "/ValueSet/$validate-code", "/ValueSet/term-is-a/$validate-code", "/CodeSystem/$lookup");

    private final HostileValues values = new HostileValues(new Random(SEED));
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();

    @Test
    void generatedParametersNeverGiveA5xx() {
        fhir().body(FHIR.newJsonParser().encodeResourceToString(TerminologyTest.DATA.transaction())).post("")
                .then().statusCode(200);
        JqwikSession.start();
        try {
            for (int i = 0; i < 240; i++) {
                String op = values.pick(OPERATIONS);
                boolean post = values.chance(50);
                Response r = post ? post(op, body()) : get(op, query());
                check(op, r);
            }
            for (int i = 0; i < 40; i++) {
                String name = values.pick(List.of("count", "offset"));
                String bad = values.chance(50) ? "-" + (1 + values.nextInt(1000))
                        : values.draw(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8));
                Response r = get("/ValueSet/$expand", "url=" + TerminologyFixture.IS_A + "&" + name + "=" + enc(bad));
                expect400(name + "=" + bad, r);
                String unknown = "x" + values.draw(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8));
                expect400(unknown, get(values.pick(OPERATIONS), unknown + "=1"));
            }
        } finally {
            JqwikSession.finish();
        }
        System.out.println("terminology fuzz statuses: " + statuses);
        assertThat(failures).isEmpty();
        assertThat(statuses.keySet()).contains(400);
    }

    private void check(String op, Response r) {
        int status = r.statusCode();
        statuses.merge(status, 1, Integer::sum);
        if (status >= 500 || (status != 200 && !r.asString().contains("OperationOutcome"))) {
            failures.add(op + " -> " + status + ": " + r.asString());
        }
    }

    private void expect400(String what, Response r) {
        statuses.merge(r.statusCode(), 1, Integer::sum);
        if (r.statusCode() != 400 || !r.asString().contains("OperationOutcome")) {
            failures.add(what + " -> " + r.statusCode() + " (expected 400)");
        }
    }

    private static Response get(String op, String query) {
        return fhir().urlEncodingEnabled(false).get(op + (query.isEmpty() ? "" : "?" + query));
    }

    private static Response post(String op, String body) {
        return fhir().body(body).post(op);
    }

    private String query() {
        List<String> parts = new ArrayList<>();
        int n = values.nextInt(4);
        for (int i = 0; i < n; i++) {
            parts.add(enc(values.pick(NAMES)) + "=" + enc(value()));
        }
        return String.join("&", parts);
    }

    private String value() {
        return values.chance(40) ? values.pick(List.of(TerminologyFixture.IS_A, TerminologyFixture.SYSTEM, "c1", "c0",
                "1", "0", "true", "-5", TerminologyFixture.SYSTEM + "|c1")) : values.string();
    }

    private String body() {
        if (values.chance(10)) {
            return values.pick(List.of("{", "[]", "{\"resourceType\":\"Parameters\",\"parameter\":[{}]}",
                    "{\"resourceType\":\"Patient\"}", "{\"resourceType\":\"Parameters\",\"parameter\":" + values.jsonValue() + "}"));
        }
        Parameters p = new Parameters();
        int n = values.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = values.pick(NAMES);
            switch (values.nextInt(6)) {
                case 0 -> p.addParameter(name, new StringType(value()));
                case 1 -> p.addParameter(name, new UriType(values.pick(List.of(TerminologyFixture.IS_A, "x", "urn:x"))));
                case 2 -> p.addParameter(name, new IntegerType(values.nextInt(2000) - 1000));
                case 3 -> p.addParameter(name, new Coding(values.chance(50) ? TerminologyFixture.SYSTEM : null,
                        values.chance(80) ? "c" + values.nextInt(50) : null, null));
                case 4 -> p.addParameter().setName(name).setValue(new CodeableConcept());
                default -> p.addParameter().setName(name).setResource(values.chance(50) ? new org.hl7.fhir.r4.model.ValueSet()
                        : new org.hl7.fhir.r4.model.Patient());
            }
        }
        return FHIR.newJsonParser().encodeResourceToString(p);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
