package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.concilium.testing.ScopedClients;
import org.junit.jupiter.api.Test;

/**
 * Ways around a token's scopes that an outside review tried through includes and Bulk Data: an
 * include following a reference to a type the parameter does not declare, another client's export,
 * a scope narrowed after the kick-off, and a folder import through a symlink out of the allow-list.
 */
@QuarkusTest
class BulkAndIncludeScopeTest extends FhirTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ClientRegistry registry;

    private static RequestSpecification as(String authorization) {
        return fhir().header("Authorization", authorization).urlEncodingEnabled(false);
    }

    private static String path(String url) {
        return url.substring(url.indexOf("/fhir") + 5);
    }

    /**
     * Observation.subject declares Patient, Group, Device, Location; a stored reference may still
     * name a Practitioner. A client allowed those declared types but not Practitioner must not get
     * the Practitioner through _include (it was in the searchset, search.mode=include).
     */
    @Test
    void anIncludeNeverReturnsATypeTheTokenMayNotSearch() {
        String marker = "inc-" + UUID.randomUUID();
        String family = "secret-" + UUID.randomUUID();
        String practitioner = fhir().body("{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"" + family
                + "\"}]}").post("/Practitioner").then().statusCode(201).extract().path("id");
        String observation = fhir().body("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\""
                + marker + "\"},\"subject\":{\"reference\":\"Practitioner/" + practitioner + "\"}}")
                .post("/Observation").then().statusCode(201).extract().path("id");
        String declaredTargetsOnly = ScopedClients.authorization(registry,
                "system/Observation.rs system/Patient.rs system/Group.rs system/Location.rs");
        for (String query : List.of("/Observation?_id=" + observation + "&_include=Observation:subject",
                "/Observation?_id=" + observation + "&_include=*",
                "/Observation?_id=" + observation + "&_include=Observation:subject&_include:iterate=Observation:subject")) {
            Response r = as(declaredTargetsOnly).get(query);
            assertThat(r.statusCode()).as(query).isIn(200, 403);
            if (r.statusCode() == 200) {
                assertThat(r.asString()).as(query).contains(marker);
            }
            assertThat(r.asString()).as(query).doesNotContain(family).doesNotContain("\"resourceType\":\"Practitioner\"");
        }
    }

    @Test
    void anotherClientsExportIsInvisibleAndANarrowedScopeStopsTheDownload() throws Exception {
        String marker = "exp-" + UUID.randomUUID();
        fhir().body("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"" + marker + "\"}}")
                .post("/Observation").then().statusCode(201);
        ClientHandle a = client("system/Observation.rs");
        String b = ScopedClients.authorization(registry, "system/*.rs");
        String status = as(a.authorization).header("Prefer", "respond-async").get("/$export?_type=Observation")
                .then().statusCode(202).extract().header("Content-Location");
        JsonNode manifest = await(a.authorization, path(status));
        String file = path(manifest.path("output").get(0).path("url").asText());
        // another client, even one with every read scope: nothing of A's job exists for it
        as(b).get(path(status)).then().statusCode(404);
        as(b).get(file).then().statusCode(404);
        as(b).delete(path(status)).then().statusCode(404);
        as(a.authorization).get(file).then().statusCode(200);
        // the administrator narrows A to Patient: its Observation export must stop at once, like any read
        a.narrow(registry, "system/Patient.rs");
        Response after = as(a.authorization).get(file);
        assertThat(after.statusCode()).as("download of Observation after the scope lost Observation").isEqualTo(403);
    }

    @Test
    void aFolderImportDoesNotFollowSymlinksOutOfTheAllowList() throws Exception {
        String marker = "sym" + UUID.randomUUID().toString().replace("-", "");
        Path outside = Files.createTempDirectory("outside-allow-list");
        Path secret = outside.resolve("secret.ndjson");
        Files.writeString(secret, "{\"resourceType\":\"Organization\",\"id\":\"" + marker + "\",\"name\":\"" + marker
                + "\"}\n");
        Path folder = Path.of("target/bulk-import-allowed/symlinks-" + marker);
        Files.createDirectories(folder);
        Files.createSymbolicLink(folder.resolve("linked.ndjson"), secret.toAbsolutePath());
        String params = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"input\",\"part\":[{\"name\":\"url\","
                + "\"valueUri\":\"" + folder.toAbsolutePath().toUri() + "\"}]}]}";
        Response kickOff = fhir().header("Prefer", "respond-async").body(params).post("/$import");
        if (kickOff.statusCode() == 202) {
            await(null, path(kickOff.header("Content-Location")));
        } else {
            assertThat(kickOff.statusCode()).isEqualTo(403);
        }
        fhir().get("/Organization/" + marker).then().statusCode(404);
        // and whether a path outside exists is not told either: the same 403 for both
        String missing = outside.resolve("no-such-file.ndjson").toAbsolutePath().toUri().toString();
        for (String url : List.of(secret.toAbsolutePath().toUri().toString(), missing)) {
            fhir().header("Prefer", "respond-async").body(params.replace(folder.toAbsolutePath().toUri().toString(), url))
                    .post("/$import").then().statusCode(403);
        }
        Files.delete(folder.resolve("linked.ndjson"));
        Files.delete(folder);
        Files.delete(secret);
        Files.delete(outside);
    }

    private static JsonNode await(String authorization, String statusPath) throws Exception {
        for (int i = 0; i < 600; i++) {
            Response r = (authorization == null ? fhir() : as(authorization)).get(statusPath);
            if (r.statusCode() == 200) {
                return JSON.readTree(r.asString());
            }
            assertThat(r.statusCode()).isEqualTo(202);
            Thread.sleep(100);
        }
        throw new AssertionError("job did not finish");
    }

    /** A client registered like {@link ScopedClients} does, keeping its id so the test can narrow it. */
    private ClientHandle client(String scope) {
        org.concilium.security.client.ClientKey key = org.concilium.security.client.ClientKey.generate();
        String id = "client-" + UUID.randomUUID();
        registry.store().add(new ClientRegistration(id, ClientKeys.parse(key.publicJwks()), ScopeSet.parseStrict(scope),
                java.time.Instant.now()));
        return new ClientHandle(id, new org.concilium.security.client.AccessTokenSource("http://localhost:"
                + io.restassured.RestAssured.port + "/fhir", id, key, scope).authorization());
    }

    private record ClientHandle(String id, String authorization) {
        /** What `clients remove` then `clients add` with a smaller scope does; the registry reloads at once. */
        void narrow(ClientRegistry registry, String scope) {
            ClientRegistration old = registry.store().find(id).orElseThrow();
            registry.store().remove(id);
            registry.store().add(new ClientRegistration(id, old.publicKeys(), ScopeSet.parseStrict(scope),
                    old.registeredAt()));
            registry.reload();
        }
    }
}
