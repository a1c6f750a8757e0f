package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.concilium.testing.TestClient;
import org.junit.jupiter.api.Test;

/**
 * Every access leaves an AuditEvent (IHE BALP shape) that can be searched with AuditEvent read
 * scopes and can be neither changed nor deleted through the API.
 */
@QuarkusTest
class AuditTrailTest extends FhirTestBase {

    /** The AuditEvents matching {@code query}, once the background flush has written at least one. */
    private static JsonPath eventually(String query) throws InterruptedException {
        // searchsets carry no total unless asked (_total=accurate): look at the entries
        return eventually(query, found -> found.getList("entry") != null && !found.getList("entry").isEmpty());
    }

    /** Events are written asynchronously: poll until the descriptions include every expected fragment. */
    private static JsonPath eventuallyDescribed(String query, String... fragments) throws InterruptedException {
        return eventually(query, found -> {
            java.util.List<String> descriptions = found.getList("entry.resource.outcomeDesc", String.class);
            return descriptions != null && java.util.Arrays.stream(fragments)
                    .allMatch(f -> descriptions.stream().anyMatch(d -> d != null && d.contains(f)));
        });
    }

    /** Polls the trail until {@code done} holds (batches are flushed in the background), at most ~10 s. */
    private static JsonPath eventually(String query, java.util.function.Predicate<JsonPath> done)
            throws InterruptedException {
        JsonPath found = null;
        for (int i = 0; i < 100; i++) {
            found = fhir().get("/AuditEvent?" + query).then().statusCode(200).extract().jsonPath();
            if (done.test(found)) {
                return found;
            }
            Thread.sleep(100);
        }
        return found;
    }

    @Test
    void readsAndRefusalsAreRecordedWithWhoWhatAndThePatient() throws InterruptedException {
        String id = "au-" + UUID.randomUUID().toString().substring(0, 8);
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}").put("/Patient/" + id).then().statusCode(201);
        fhir().get("/Patient/" + id).then().statusCode(200);
        fhir().get("/Observation?patient=" + id).then().statusCode(200);
        anonymous().get("/Patient/" + id).then().statusCode(401);

        JsonPath read = eventually("patient=Patient/" + id + "&subtype=read&altid=" + TestClient.ID);
        assertThat(read.getInt("total")).isEqualTo(1);
        assertThat(read.getString("entry[0].resource.agent[0].who.identifier.value")).isEqualTo("test-client");
        assertThat(read.getString("entry[0].resource.action")).isEqualTo("R");
        assertThat(read.getString("entry[0].resource.outcome")).isEqualTo("0");
        assertThat(read.getString("entry[0].resource.entity[0].what.reference")).isEqualTo("Patient/" + id);

        String observationSearch = "GET /fhir/Observation?patient=" + id;
        String searchesFound = "entry.resource.entity.flatten().findAll { it.query != null }.description";
        JsonPath search = eventually("patient=Patient/" + id + "&subtype=search-type&_count=100",
                found -> found.getList(searchesFound, String.class) != null
                        && found.getList(searchesFound, String.class).contains(observationSearch));
        // the searches of the trail itself are audited too; the Observation search is among them
        assertThat(search.getList(searchesFound, String.class)).contains(observationSearch);

        JsonPath refused = eventually("patient=Patient/" + id + "&altid=unauthenticated");
        assertThat(refused.getString("entry[0].resource.outcome")).isEqualTo("4");
        assertThat(refused.getString("entry[0].resource.outcomeDesc")).startsWith("HTTP 401");

        JsonPath created = eventually("patient=Patient/" + id + "&action=U");
        assertThat(created.getInt("total")).isEqualTo(1);
        // a token or key never reaches the trail
        assertThat(read.prettify()).doesNotContain("Bearer").doesNotContain("eyJ");
    }

    /**
     * A request whose path and query hold U+0000 ({@code %00}) is audited, and does not cost the other events
     * of its write batch theirs: PostgreSQL's jsonb refuses U+0000, and the whole batch used to be dropped.
     */
    @Test
    void anUnprintableRequestIsAuditedAndItsBatchNeighboursToo() throws InterruptedException {
        String id = "au-nul-" + UUID.randomUUID().toString().substring(0, 8);
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}").put("/Patient/" + id).then().statusCode(201);
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        int status = fhir().urlEncodingEnabled(false).get("/Observation?patient=" + id + "%00x&code=" + id + "%00")
                .statusCode();
        assertThat(status).isLessThan(500);
        status = fhir().urlEncodingEnabled(false).get("/Observation/" + id + "%00").statusCode();
        assertThat(status).isLessThan(500);
        fhir().get("/Patient/" + id).then().statusCode(200);

        JsonPath read = eventually("patient=Patient/" + id + "&subtype=read");
        assertThat(read.getList("entry")).hasSize(1);
        String since = "date=ge" + before + "&_count=1000";
        String all = eventually(since).prettify();
        for (int i = 0; i < 50 && !(all.contains("Observation?patient=" + id) && all.contains("/Observation/" + id)); i++) {
            Thread.sleep(100);
            all = fhir().get("/AuditEvent?" + since).then().statusCode(200).extract().jsonPath().prettify();
        }
        assertThat(all).contains("Observation?patient=" + id).contains("/Observation/" + id);
    }

    @Test
    void tokensIssuedAndRefusedAndDashboardSignInsAreAuthenticationEvents() throws InterruptedException {
        String client = "audited-" + UUID.randomUUID().toString().substring(0, 8);
        org.concilium.security.client.ClientKey key = org.concilium.security.client.ClientKey.generate();
        registry.store().add(new ClientRegistration(client, ClientKeys.parse(key.publicJwks()),
                ScopeSet.parseStrict("system/Patient.rs"), java.time.Instant.now()));
        String fhirBase = "http://localhost:" + io.restassured.RestAssured.port + "/fhir";
        String token = new org.concilium.security.client.AccessTokenSource(fhirBase, client, key, "system/Patient.rs")
                .token();
        // a refused request: an assertion of this client signed by a key it never registered
        String forged = new org.concilium.security.client.AccessTokenSource(fhirBase, client,
                org.concilium.security.client.ClientKey.generate(), "system/Patient.rs").assertion();
        io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("scope", "system/Patient.rs")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", forged).post("/auth/token").then().statusCode(401);
        String user = "audit-ui-" + UUID.randomUUID().toString().substring(0, 8);
        new org.concilium.ui.UiUserStore(pool).put(new org.concilium.ui.UiUser(user, org.concilium.ui.UiRole.QUERIER,
                org.concilium.ui.PasswordHash.hash("correct horse battery")));
        signIn(user, "correct horse battery").then().statusCode(200);
        signIn(user, "wrong").then().statusCode(401);

        String login = "type=http://dicom.nema.org/resources/ontology/DCM|110114";
        JsonPath issued = eventually(login + "&altid=" + client + "&outcome=0");
        assertThat(issued.getString("entry[0].resource.outcome")).isEqualTo("0");
        assertThat(issued.getString("entry[0].resource.subtype[0].code")).isEqualTo("110122");
        assertThat(issued.getString("entry[0].resource.outcomeDesc")).contains("token issued, scope system/Patient.rs");
        JsonPath refused = eventuallyDescribed(login + "&altid=unauthenticated&outcome=4&_count=200",
                "token refused: invalid_client", "dashboard sign-in refused");
        assertThat(refused.getList("entry.resource.outcomeDesc", String.class))
                .anyMatch(d -> d.contains("401") && d.contains("token refused: invalid_client"))
                .anyMatch(d -> d.contains("401") && d.contains("dashboard sign-in refused"));
        // the refused sign-in shares the altid; searchsets have no default order, so ask for the success
        JsonPath signedIn = eventually(login + "&altid=ui:" + user + "&outcome=0");
        assertThat(signedIn.getString("entry[0].resource.outcome")).isEqualTo("0");
        // neither the token, the assertion nor the password reaches the trail
        String trail = fhir().get("/AuditEvent?" + login + "&_count=200").then().statusCode(200).extract().asString();
        assertThat(trail).doesNotContain(token).doesNotContain(forged).doesNotContain("correct horse").doesNotContain("eyJ");
    }

    private static io.restassured.response.Response signIn(String name, String password) {
        return io.restassured.RestAssured.given().header("X-Concilium-UI", "1")
                .contentType("application/x-www-form-urlencoded").formParam("name", name).formParam("password", password)
                .post("/ui/api/session");
    }

    @jakarta.inject.Inject
    ClientRegistry registry;
    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void theTrailCannotBeChangedThroughTheApi() throws InterruptedException {
        fhir().get("/Patient?_count=1").then().statusCode(200);
        JsonPath any = eventually("subtype=search-type");
        String eventId = any.getString("entry[0].resource.id");
        String event = fhir().get("/AuditEvent/" + eventId).then().statusCode(200).extract().asString();

        fhir().body(event).put("/AuditEvent/" + eventId).then().statusCode(405)
                .body("issue[0].diagnostics", containsString("append-only"));
        fhir().delete("/AuditEvent/" + eventId).then().statusCode(405);
        fhir().body(event.replace("\"id\":\"" + eventId + "\",", "")).post("/AuditEvent").then().statusCode(405);
        fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{\"method\":"
                + "\"DELETE\",\"url\":\"AuditEvent/" + eventId + "\"}}]}").post("").then().statusCode(405);
        fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"resource\":" + event
                + ",\"request\":{\"method\":\"PUT\",\"url\":\"AuditEvent/" + eventId + "\"}}]}").post("").then()
                .statusCode(200).body("entry[0].response.status", containsString("405"));

        fhir().get("/AuditEvent/" + eventId).then().statusCode(200).body("meta.versionId", equalTo("1"));
        fhir().get("/AuditEvent/" + eventId + "/_history").then().log().ifValidationFails().statusCode(200).body("total", equalTo(1));
    }
}
