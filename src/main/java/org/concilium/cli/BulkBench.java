package org.concilium.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.concilium.security.client.AccessTokenSource;

/**
 * The Bulk Data part of {@code bench fhir}: a system-level {@code $export} (kick-off to last file
 * downloaded) and an {@code $import} upload of what it exported, each timed end to end.
 */
final class BulkBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Resources moved, seconds taken, and (for an export) the NDJSON it produced. */
    record Timed(long resources, double seconds, byte[] ndjson) {
        double perSecond() {
            return seconds == 0 ? 0 : resources / seconds;
        }
    }

    private BulkBench() {
    }

    static Timed export(HttpClient http, String fhir, AccessTokenSource tokens) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        JsonNode manifest = await(http, kickOff(http, HttpRequest.newBuilder(URI.create(fhir + "/$export")).GET(),
                tokens), tokens);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long count = 0;
        for (JsonNode o : manifest.path("output")) {
            HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(URI.create(o.path("url").asText()))
                    .header("Authorization", tokens.authorization()).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (!o.path("type").asText().equals("AuditEvent")) { // the node writes those itself: not re-imported
                all.write(file.body());
                count += o.path("count").asLong();
            }
        }
        return new Timed(count, (System.nanoTime() - t0) / 1e9, all.toByteArray());
    }

    static Timed importNdjson(HttpClient http, String fhir, AccessTokenSource tokens, Timed exported)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        JsonNode manifest = await(http, kickOff(http, HttpRequest.newBuilder(URI.create(fhir + "/$import"))
                .header("Content-Type", "application/fhir+ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(exported.ndjson())), tokens), tokens);
        long count = 0;
        for (JsonNode o : manifest.path("output")) {
            count += o.path("count").asLong();
        }
        if (manifest.path("error").size() > 0) {
            throw new IOException("$import reported failed lines: " + manifest.path("error"));
        }
        return new Timed(count, (System.nanoTime() - t0) / 1e9, null);
    }

    private static String kickOff(HttpClient http, HttpRequest.Builder request, AccessTokenSource tokens)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.header("Prefer", "respond-async").header("Accept", "application/fhir+json")
                .header("Authorization", tokens.authorization()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IOException("bulk kick-off -> " + r.statusCode() + ": " + r.body());
        }
        return r.headers().firstValue("Content-Location").orElseThrow();
    }

    private static JsonNode await(HttpClient http, String status, AccessTokenSource tokens)
            throws IOException, InterruptedException {
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(status))
                    .header("Authorization", tokens.authorization()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return JSON.readTree(r.body());
            }
            if (r.statusCode() != 202) {
                throw new IOException("bulk status -> " + r.statusCode() + ": " + r.body());
            }
            Thread.sleep(50);
        }
    }
}
