package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.junit.jupiter.api.Test;

/**
 * Requests the router refuses before the FHIR API runs (outside review): an HTTP/1.0 request
 * without a Host header was a 500 (the filters need an absolute URI) that left no AuditEvent; a
 * body announced too large was refused without an AuditEvent. Each is now a 4xx OperationOutcome
 * and in the trail as an unauthenticated, refused access.
 */
@QuarkusTest
class EarlyRefusalAuditTest extends FhirTestBase {

    /** One request written as it is (no client fixes it up), the whole answer read. */
    private static String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    return head.toString();
                }
                head.append((char) c);
            }
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                    .matcher(head);
            byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : in.readAllBytes();
            return head + new String(body, StandardCharsets.UTF_8);
        }
    }

    @Test
    void refusalsBeforeRoutingAreOperationOutcomesAndAudited() throws Exception {
        String run = "er" + UUID.randomUUID().toString().substring(0, 8);
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put(run + "-h10", "GET /fhir/Patient/" + run + "-h10 HTTP/1.0\r\n\r\n");
        requests.put(run + "-big", "PUT /fhir/Patient/" + run + "-big HTTP/1.1\r\nHost: x\r\nContent-Type: "
                + "application/fhir+json\r\nContent-Length: 900000000\r\nConnection: close\r\n\r\n");
        requests.put(run + "-net", "GET /network/fhir/MeasureReport?subject=" + run + "-net HTTP/1.0\r\n\r\n");
        List<String> wrong = new ArrayList<>();
        for (var e : requests.entrySet()) {
            String answer = raw(e.getValue());
            String status = answer.lines().findFirst().orElse("");
            if (!status.matches("HTTP/1\\.[01] 4\\d\\d .*") || !answer.contains("\"resourceType\":\"OperationOutcome\"")) {
                wrong.add(e.getKey() + ": " + status);
            }
        }
        assertThat(wrong).as("answers that are not a 4xx OperationOutcome").isEmpty();
        // the HTTP layer itself answers a bare 400 (no FHIR, no audit, like 414 and 431) to these
        assertThat(raw("GET /fhir/Patient/" + run + " HTTP/1.1\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(raw("PUT /fhir/Patient/" + run + " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n"
                + "Connection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
        List<String> missing = new ArrayList<>(requests.keySet());
        for (int i = 0; i < 100 && !missing.isEmpty(); i++) {
            String trail = fhir().get("/AuditEvent?date=ge" + before + "&outcome=4&_count=1000").then().statusCode(200)
                    .extract().asString();
            missing.removeIf(trail::contains);
            if (!missing.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertThat(missing).as("refused requests without an AuditEvent").isEmpty();
    }
}
