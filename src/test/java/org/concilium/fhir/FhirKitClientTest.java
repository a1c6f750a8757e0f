package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.concilium.testing.TestClient;
import org.junit.jupiter.api.Test;

/**
 * The npm FHIR SDK fhir-kit-client, run by node: gets a SMART Backend Services token (assertion
 * signed with the jose library) and does CRUD, search and a transaction; then a conditional reference,
 * {@code _include}, a chained search and a Bulk Data export (issue 11). npm installs the two
 * packages pinned in src/test/node/package.json into target/node-sdk on first run.
 */
@QuarkusTest
class FhirKitClientTest extends FhirTestBase {

    static final Path SOURCES = Path.of("src/test/node");
    static final Path WORK = Path.of("target/node-sdk");

    @TestHTTPResource("/fhir")
    URL base;

    @Test
    void fhirKitClientGetsATokenAndDoesCrudSearchAndATransaction() throws Exception {
        install();
        Path key = WORK.resolve("test-client.private.jwk");
        Files.writeString(key, TestClient.key().privateKey().toJSONString());
        try {
            Result r = run(List.of("node", "sdk-check.mjs", base.toString(), TestClient.ID, key.toAbsolutePath()
                    .toString()), 120);
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("\"ok\":true").contains("\"unauthenticated\":401");
        } finally {
            Files.deleteIfExists(key);
        }
    }

    @Test
    void fhirKitClientResolvesConditionalReferencesIncludesChainsAndExports() throws Exception {
        install();
        Path key = WORK.resolve("test-client-search.private.jwk");
        Files.writeString(key, TestClient.key().privateKey().toJSONString());
        try {
            Result r = run(List.of("node", "sdk-search.mjs", base.toString(), TestClient.ID, key.toAbsolutePath()
                    .toString()), 120);
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("\"ok\":true").contains("\"chainedTotal\":1");
        } finally {
            Files.deleteIfExists(key);
        }
    }

    private static void install() throws Exception {
        Files.createDirectories(WORK);
        for (String f : List.of("package.json", "sdk-check.mjs", "sdk-search.mjs")) {
            Files.copy(SOURCES.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/fhir-kit-client"))
                || !Files.isDirectory(WORK.resolve("node_modules/jose"))) {
            Result r = run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), 600);
            assertThat(r.exit()).as("npm install: " + r.output()).isZero();
        }
    }

    record Result(int exit, String output) {
    }

    private static Result run(List<String> command, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("node-sdk", ".log");
        Process p = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + Files.readString(log));
        }
        String out = Files.readString(log);
        Files.delete(log);
        return new Result(p.exitValue(), out);
    }
}
