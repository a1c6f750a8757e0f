package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * Generated hostile parameters for the measure operations ($evaluate-measure, $data-requirements,
 * $care-gaps, $collect-data, $submit-data) over a real CQL measure: dates that are not dates or lie
 * outside FHIR's years, reversed and huge periods, subjects of every shape, unknown report types and
 * measures, parameters given twice. Every answer is a 2xx or a 4xx OperationOutcome, never a 5xx,
 * and each comes back within a bound (no evaluation runs away on a huge period).
 */
@QuarkusTest
class MeasureOperationsFuzzTest extends FhirTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final long SEED = Long.getLong("fuzz.seed", 20261126L);
    private static final List<String> DATES = List.of("2024-01-01", "2024-12-31", "2024", "2024-06",
            "2024-01-01T00:00:00Z", "0001-01-01", "9999-12-31", "0000-01-01", "+10000-01-01", "-0001-01-01",
            "2024-02-30", "2024-13-01", "2024-01-01T25:00:00Z", "2024-01-01T00:00:00+15:00", "", " ", "abc",
            "1e309", "2024-01-01T00:00:00.1234567890Z", "9".repeat(300), "2024-01-01,2025-01-01", "null",
            "2024-01-01T00:00Z", "T00:00:00", "2024-1-1");
    private static final List<String> SUBJECTS = List.of("Patient/deqm-p", "Patient/unknown", "Group/unknown",
            "Practitioner/x", "Patient/", "Patient", "/Patient/x", "Patient/x/_history/1", "Patient?identifier=1",
            "http://evil.example/Patient/1", "Patient/" + "a".repeat(200), "Organization/x", "", "*", "Patient/../Group/x");
    private static final List<String> REPORT_TYPES = List.of("subject", "subject-list", "population", "summary",
            "individual", "", "SUBJECT", "patient-list");
    private static final List<String> MEASURES = List.of("deqm-screening", "unknown-measure",
            "http://example.org/fhir/Measure/deqm-screening", "http://example.org/fhir/Measure/deqm-screening|9",
            "Measure/deqm-screening", "", "a".repeat(100), "*");

    /** One valid request per operation first, so every operation is seen answering 2xx too, then known hostile ones. */
    private static final List<String> VALID = List.of(
            "/Measure/deqm-screening/$evaluate-measure?periodStart=2024-01-01&periodEnd=2024-12-31",
            "/Measure/deqm-screening/$data-requirements?periodStart=2024-01-01&periodEnd=2024-12-31",
            "/Measure/$care-gaps?periodStart=2024-01-01&periodEnd=2024-12-31&subject=Patient/deqm-p&status=open-gap"
                    + "&measureId=deqm-screening",
            "/Measure/$collect-data?measure=deqm-screening&periodStart=2024-01-01&periodEnd=2024-12-31",
            // found by this generator (500s before): minute precision reached the report's dateTime, year 0 the CQL engine
            "/Measure/deqm-screening/$evaluate-measure?periodStart=2024-01-01T00%3A00Z&periodEnd=2024-01-01"
                    + "&reportType=subject&subject=Patient%2Fdeqm-p",
            "/Measure/$evaluate-measure?measure=deqm-screening&periodStart=0000-01-01&periodEnd=2024-12-31",
            "/Measure/$care-gaps?periodStart=0000-01-01&periodEnd=2024-12-31&subject=Patient/deqm-p&status=open-gap"
                    + "&measureId=deqm-screening");

    private final Random random = new Random(SEED);

    /** Half the time one of the first (valid) values, so that real evaluations run too. */
    private String pick(List<String> values) {
        return values.get(random.nextBoolean() ? random.nextInt(Math.min(values.size(), values == DATES ? 7 : 1))
                : random.nextInt(values.size()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void hostileMeasureParametersNeverGiveA5xx() {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource r : new Resource[] {DeqmOperationTest.library(), DeqmOperationTest.measure()}) {
            tx.addEntry().setResource(r).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart());
        }
        fhir().urlEncodingEnabled(false).body(FHIR.newJsonParser().encodeResourceToString(tx)).post("").then()
                .statusCode(200);
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"deqm-p\"}").put("/Patient/deqm-p");

        List<String> failures = new ArrayList<>();
        Map<String, int[]> tally = new LinkedHashMap<>();
        long slowest = 0;
        for (int i = 0; i < 240 + VALID.size(); i++) {
            String period = "periodStart=" + enc(pick(DATES)) + "&periodEnd=" + enc(pick(DATES));
            String url = i < VALID.size() ? VALID.get(i) : switch (i % 6) {
                case 0 -> "/Measure/" + enc(pick(MEASURES)) + "/$evaluate-measure?" + period + "&reportType="
                        + enc(pick(REPORT_TYPES)) + (random.nextBoolean() ? "&subject=" + enc(pick(SUBJECTS)) : "");
                case 1 -> "/Measure/$evaluate-measure?measure=" + enc(pick(MEASURES)) + "&" + period
                        + (random.nextBoolean() ? "&" + period : "");
                case 2 -> "/Measure/" + enc(pick(MEASURES)) + "/$data-requirements?" + period;
                case 3 -> "/Measure/$care-gaps?" + period + "&subject=" + enc(pick(SUBJECTS)) + "&status="
                        + enc(random.nextBoolean() ? "open-gap" : pick(REPORT_TYPES)) + "&measureId=" + enc(pick(MEASURES));
                case 4 -> "/Measure/$collect-data?measure=" + enc(pick(MEASURES)) + "&" + period
                        + (random.nextBoolean() ? "&subject=" + enc(pick(SUBJECTS)) : "");
                default -> "/Measure/" + enc(pick(MEASURES)) + "/$collect-data?" + period + "&subject="
                        + enc(pick(SUBJECTS));
            };
            long start = System.nanoTime();
            Response r = fhir().urlEncodingEnabled(false).get(url);
            long ms = (System.nanoTime() - start) / 1_000_000;
            slowest = Math.max(slowest, ms);
            String op = url.substring(url.indexOf('$'), url.indexOf('?'));
            tally.computeIfAbsent(op, k -> new int[6])[r.statusCode() / 100]++;
            if (r.statusCode() >= 500 || r.statusCode() >= 400 && !r.asString().contains("OperationOutcome")) {
                failures.add(r.statusCode() + " " + url.substring(0, Math.min(url.length(), 240)) + " -> "
                        + r.asString().substring(0, Math.min(300, r.asString().length())));
            }
            if (System.getProperty("fuzz.verbose") != null) {
                System.out.println("MEASURE-FUZZ " + r.statusCode() + " " + url + " " + r.asString().substring(0,
                        Math.min(200, r.asString().length())));
            }
            if (ms > 60_000) {
                failures.add("took " + ms + " ms: " + url);
            }
        }
        for (String body : List.of("{}", "{\"resourceType\":\"Parameters\"}", "{\"resourceType\":\"Parameters\","
                + "\"parameter\":[{\"name\":\"measureReport\",\"resource\":{\"resourceType\":\"Patient\"}}]}",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"measureReport\"}]}",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"resource\",\"resource\":"
                        + "{\"resourceType\":\"AuditEvent\",\"type\":{\"code\":\"x\"},\"recorded\":\"2024-01-01T00:00:00Z\"}}]}",
                "[]", "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}")) {
            for (String url : List.of("/Measure/$submit-data", "/Measure/deqm-screening/$submit-data",
                    "/Measure/deqm-screening/$evaluate-measure", "/Measure/$care-gaps")) {
                Response r = fhir().body(body).post(url);
                tally.computeIfAbsent("POST " + url, k -> new int[6])[r.statusCode() / 100]++;
                if (r.statusCode() >= 500 || r.statusCode() >= 400 && !r.asString().contains("OperationOutcome")) {
                    failures.add(r.statusCode() + " POST " + url + " " + body + " -> "
                            + r.asString().substring(0, Math.min(300, r.asString().length())));
                }
            }
        }
        StringBuilder line = new StringBuilder("MEASURE-FUZZ slowestMs=" + slowest);
        tally.forEach((k, v) -> line.append(' ').append(k).append("=").append(v[2]).append('/').append(v[4]).append('/')
                .append(v[5]));
        System.out.println(line);
        tally.forEach((op, c) -> {
            if (op.startsWith("$")) {
                assertThat(c[2]).as(op + " answered 2xx at least once (the generator reaches real evaluations)")
                        .isPositive();
            }
        });
        assertThat(failures).as("measure operations answered a 5xx, a 4xx without an OperationOutcome, or ran away")
                .isEmpty();
    }
}
