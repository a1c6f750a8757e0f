package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each limit on a request answers a 4xx OperationOutcome naming it, and the node goes on. */
@QuarkusTest
class RequestLimitsTest extends FhirTestBase {

    @Test
    void aBodyAnnouncedLargerThanTheLimitIs413BeforeItIsRead() throws Exception {
        // a raw request: the client announces 300 MB (the limit is 200M) and sends none of it
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
                    + "Content-Length: 300000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readResponse(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains("OperationOutcome").contains("at most");
        }
        fhir().body("{\"resourceType\":\"Patient\"}").post("/Patient").then().statusCode(201);
    }

    @Test
    void orListsLongerThanTheLimitAre400() {
        String hundred = IntStream.range(0, 100).mapToObj(i -> "v" + i).collect(Collectors.joining(","));
        fhir().urlEncodingEnabled(false).get("/Patient?identifier=" + hundred).then().statusCode(200);
        fhir().urlEncodingEnabled(false).get("/Patient?identifier=" + hundred + ",v100").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome")).body("issue[0].diagnostics", containsString("101"));
        String params = IntStream.range(0, 51).mapToObj(i -> "identifier=v" + i).collect(Collectors.joining("&"));
        fhir().urlEncodingEnabled(false).get("/Patient?" + params).then().statusCode(400);
    }

    @Test
    void countAndOffsetOutOfBoundsAre400OrClamped() {
        fhir().get("/Patient?_count=-1").then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
        fhir().get("/Patient?_offset=-1").then().statusCode(400);
        fhir().get("/Patient?_offset=100001").then().statusCode(400).body("issue[0].diagnostics",
                containsString("100000"));
        fhir().get("/Patient?_offset=99999999999999999999").then().statusCode(400);
        fhir().get("/Patient?_offset=1e3").then().statusCode(400);
        fhir().get("/Patient?_count=99999999999999999999").then().statusCode(org.hamcrest.Matchers.anyOf(
                equalTo(200), equalTo(400)));
        fhir().get("/Patient?_count=100000").then().statusCode(200).body("entry.size()", lessThanOrEqualTo(1000));
        fhir().get("/Patient?_offset=100000&_count=1").then().statusCode(200);
    }

    @Test
    void jsonNestedDeeperThanTheLimitIs400() {
        fhir().body(nestedExtensions(30)).post("/Patient").then().statusCode(201);
        fhir().body(nestedExtensions(60)).post("/Patient").then().statusCode(400)
                .body("issue[0].diagnostics", containsString("nests deeper"));
        fhir().body("[".repeat(100_000)).post("/Patient").then().statusCode(400);
        fhir().body("{\"resourceType\":\"Patient\",\"a\":" + "{\"b\":".repeat(5000) + "1" + "}".repeat(5001))
                .post("/Patient").then().statusCode(400);
    }

    @Test
    void xmlNestedDeeperThanTheLimitIs400() {
        String deep = "<Patient xmlns=\"http://hl7.org/fhir\">" + "<extension url=\"urn:x\">".repeat(200)
                + "</extension>".repeat(200) + "</Patient>";
        fhir().contentType("application/fhir+xml").body(deep).post("/Patient").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void xmlExternalEntitiesAreNeverResolved() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Patient [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"&xxe;\"/></name></Patient>";
        fhir().contentType("application/fhir+xml").body(xxe).post("/Patient").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome")).body(not(containsString("root:")));
        String parameterEntity = "<!DOCTYPE Patient [<!ENTITY % p SYSTEM \"http://127.0.0.1:1/evil.dtd\"> %p;]>"
                + "<Patient xmlns=\"http://hl7.org/fhir\"/>";
        fhir().contentType("application/fhir+xml").body(parameterEntity).post("/Patient").then().statusCode(400);
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";")
                    .repeat(10)).append("\">");
        }
        dtd.append("]><Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"&lol9;\"/></name></Patient>");
        long start = System.nanoTime();
        fhir().contentType("application/fhir+xml").body(dtd.toString()).post("/Patient").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        fhir().get("/metadata").then().statusCode(200);
    }

    /** Headers and body of one HTTP/1.1 response with a Content-Length. */
    private static String readResponse(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** A Patient whose extensions nest {@code levels} deep (each level is two JSON levels). */
    private static String nestedExtensions(int levels) {
        String inner = "{\"url\":\"urn:leaf\",\"valueString\":\"x\"}";
        for (int i = 0; i < levels; i++) {
            inner = "{\"url\":\"urn:n" + i + "\",\"extension\":[" + inner + "]}";
        }
        return "{\"resourceType\":\"Patient\",\"extension\":[" + inner + "]}";
    }
}
