package org.concilium.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.concilium.security.client.AccessTokenSource;

/**
 * How {@code load} sends an NDJSON file: one {@code $import} upload (the node's Bulk Data path, with
 * new ids written in one statement per batch), polled until it ends, its {@code X-Progress} handed
 * to the caller. The journal key of a file is the SHA-256 of its bytes.
 */
final class NdjsonImport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one import did: resources written, lines the node refused and where it lists them. */
    record Result(long resources, long failedLines, String errorsUrl) {
    }

    private NdjsonImport() {
    }

    static String key(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Result send(HttpClient http, String base, Path file, AccessTokenSource tokens, Consumer<String> progress)
            throws IOException, InterruptedException {
        HttpResponse<String> kickOff = http.send(HttpRequest.newBuilder(URI.create(base + "/$import"))
                .timeout(Duration.ofMinutes(30)).header("Authorization", tokens.authorization())
                .header("Content-Type", "application/fhir+ndjson").header("Prefer", "respond-async")
                .header("Accept", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (kickOff.statusCode() != 202) {
            throw new IOException("$import -> HTTP " + kickOff.statusCode() + " " + kickOff.body());
        }
        String status = kickOff.headers().firstValue("Content-Location")
                .orElseThrow(() -> new IOException("$import answered 202 without Content-Location"));
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(status)).timeout(Duration.ofMinutes(1))
                    .header("Authorization", tokens.authorization()).header("Accept", "application/fhir+json").build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode manifest = JSON.readTree(r.body());
                long written = 0;
                for (JsonNode o : manifest.path("output")) {
                    written += o.path("count").asLong();
                }
                JsonNode error = manifest.path("error").path(0);
                return new Result(written, error.path("count").asLong(0), error.path("url").asText(null));
            }
            if (r.statusCode() != 202) {
                throw new IOException("$import status -> HTTP " + r.statusCode() + " " + r.body());
            }
            r.headers().firstValue("X-Progress").ifPresent(progress);
            Thread.sleep(500);
        }
    }
}
