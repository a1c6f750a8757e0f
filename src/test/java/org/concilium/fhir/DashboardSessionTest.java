package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.concilium.ui.PasswordHash;
import org.concilium.ui.SignInThrottle;
import org.concilium.ui.UiSessions;
import org.concilium.ui.UiRole;
import org.concilium.ui.UiUser;
import org.concilium.ui.UiUserStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dashboard sign-in over HTTP: hashed users, the session cookie as a scope-checked credential, the CSRF header. */
@QuarkusTest
class DashboardSessionTest extends FhirTestBase {

    private static final String PASSWORD = "correct horse battery";
    /** 600,000 PBKDF2 rounds cost seconds on a loaded machine: hashed once for the class. */
    private static final String HASH = PasswordHash.hash(PASSWORD);

    @Inject
    Pool pool;
    @Inject
    SignInThrottle throttle;

    @BeforeEach
    void users() {
        UiUserStore store = new UiUserStore(pool);
        store.put(new UiUser("dash-querier", UiRole.QUERIER, HASH));
        store.put(new UiUser("dash-staff", UiRole.SITE_STAFF, HASH));
        store.put(new UiUser("dash-locked", UiRole.QUERIER, HASH));
        throttle.clear();
    }

    /** Every test signs in from 127.0.0.1: a source lockout must not leak into the next test. */
    @AfterEach
    void forgetFailures() {
        throttle.clear();
    }

    @Test
    void repeatedFailuresLockTheNameOutEvenForTheRightPasswordAndAreAudited() throws Exception {
        for (int i = 1; i < SignInThrottle.MAX_PER_USER; i++) {
            signInResponse("dash-locked", "wrong " + i).then().statusCode(401);
        }
        signInResponse("dash-locked", "wrong again").then().statusCode(429)
                .body(containsString("too many failed sign-ins"));
        signInResponse("dash-locked", PASSWORD).then().statusCode(429).body(containsString("locked"));
        // another name from the same place is not locked by this name's failures
        signIn("dash-querier", PASSWORD);

        List<String> details = List.of();
        for (int i = 0; i < 40 && details.size() < SignInThrottle.MAX_PER_USER + 1; i++) {
            Thread.sleep(250); // the audit trail is written in the background every 250 ms
            details = fhir().get("/AuditEvent?altid=ui:dash-locked&_count=50").then().statusCode(200).extract()
                    .jsonPath().getList("entry.resource.outcomeDesc");
        }
        assertThat(details).hasSize(SignInThrottle.MAX_PER_USER + 1)
                .filteredOn(d -> d.startsWith("HTTP 401") && d.contains("wrong password"))
                .hasSize(SignInThrottle.MAX_PER_USER - 1);
        assertThat(details).filteredOn(d -> d.startsWith("HTTP 429") && d.contains("locked out until")).hasSize(2);
        assertThat(String.join(" ", details)).doesNotContain(PASSWORD).doesNotContain("wrong again");
    }

    @Test
    void aSessionEndsAfterIdlingAndAfterItsLifetimeHoweverBusy() {
        UiSessions s = new UiSessions();
        UiUser u = new UiUser("dash-querier", UiRole.QUERIER, "x");
        Instant t0 = Instant.parse("2026-01-01T08:00:00Z");
        String idle = s.open(u, t0);
        assertThat(s.find(idle, t0.plus(UiSessions.IDLE).minusSeconds(1))).isPresent();
        // each request restarts the idle clock
        assertThat(s.find(idle, t0.plus(UiSessions.IDLE.multipliedBy(2)).minusSeconds(2))).isPresent();
        assertThat(s.find(idle, t0.plus(UiSessions.IDLE.multipliedBy(3)))).isEmpty();
        assertThat(s.find(idle, t0)).as("an ended session stays ended").isEmpty();

        String busy = s.open(u, t0);
        Instant t = t0;
        while (t.isBefore(t0.plus(UiSessions.LIFETIME).minusSeconds(600))) {
            t = t.plusSeconds(600);
            assertThat(s.find(busy, t)).isPresent();
        }
        assertThat(s.find(busy, t0.plus(UiSessions.LIFETIME))).as("8 hours at most, however busy").isEmpty();
    }

    @Test
    void theHashIsSaltedPbkdf2AndChecksThePassword() {
        String a = PasswordHash.hash(PASSWORD);
        assertThat(a).startsWith("pbkdf2-sha256$600000$").doesNotContain(PASSWORD).isNotEqualTo(PasswordHash.hash(PASSWORD));
        assertThat(PasswordHash.matches(PASSWORD, a)).isTrue();
        assertThat(PasswordHash.matches(PASSWORD + "x", a)).isFalse();
        assertThat(PasswordHash.matches(PASSWORD, "plain")).isFalse();
    }

    @Test
    void aSessionCarriesTheRolesScopesAndNothingMore() {
        String querier = signIn("dash-querier", PASSWORD);
        ui(querier).get("/network/fhir/Measure").then().statusCode(200);
        ui(querier).get("/fhir/Patient").then().statusCode(403);
        String staff = signIn("dash-staff", PASSWORD);
        ui(staff).get("/fhir/Patient").then().statusCode(200);
        ui(staff).get("/network/fhir/Measure").then().statusCode(403);
        ui(staff).get("/ui/api/session").then().statusCode(200).body(containsString("\"role\":\"site-staff\""));
    }

    @Test
    void theCookieWithoutTheDashboardHeaderIsRefused() {
        String querier = signIn("dash-querier", PASSWORD);
        bare().cookie("concilium_ui", querier).get("/network/fhir/Measure").then().statusCode(401)
                .body(containsString("X-Concilium-UI"));
        bare().header("X-Concilium-UI", "1").cookie("concilium_ui", "forged").get("/network/fhir/Measure").then()
                .statusCode(401);
    }

    @Test
    void wrongPasswordsUnknownNamesAndMissingHeadersDoNotSignIn() {
        signInResponse("dash-querier", "wrong password!").then().statusCode(401);
        signInResponse("nobody", PASSWORD).then().statusCode(401);
        bare().contentType("application/x-www-form-urlencoded").formParam("name", "dash-querier")
                .formParam("password", PASSWORD).post("/ui/api/session").then().statusCode(401);
    }

    @Test
    void signingOutEndsTheSession() {
        String querier = signIn("dash-querier", PASSWORD);
        ui(querier).delete("/ui/api/session").then().statusCode(204);
        ui(querier).get("/network/fhir/Measure").then().statusCode(401);
    }

    @Test
    void thePeersEndpointNeedsASessionOrTokenAndAnswersWithoutANetwork() {
        bare().get("/ui/api/peers").then().statusCode(401);
        String staff = signIn("dash-staff", PASSWORD);
        ui(staff).get("/ui/api/peers").then().statusCode(200).body(containsString("\"peers\":[]"));
        fhir().basePath("").get("/ui/api/peers").then().statusCode(200);
    }

    @Test
    void aTransactionsAuditEventSaysHowManyEntriesItHeld() throws Exception {
        String tag = "audit-count-" + System.nanoTime();
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Patient\",\"gender\":\"female\",\"identifier\":[{\"value\":\"" + tag + "-1\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Patient\",\"gender\":\"male\",\"identifier\":[{\"value\":\"" + tag + "-2\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}";
        Instant before = Instant.now().minusSeconds(1);
        fhir().contentType("application/fhir+json").body(bundle).post("").then().statusCode(200);
        List<String> details = List.of();
        for (int i = 0; i < 40 && details.isEmpty(); i++) {
            Thread.sleep(250);
            List<String> found = fhir().get("/AuditEvent?subtype=transaction&date=ge" + before + "&_count=100").then()
                    .statusCode(200).extract().jsonPath().getList("entry.resource.outcomeDesc");
            details = found == null ? List.of() : found; // audit events are written in batches: ask again
        }
        assertThat(details).contains("HTTP 200; transaction of 2 entries");
    }

    @Test
    void theDashboardIsServedByTheNode() {
        bare().get("/ui/").then().statusCode(200).body(containsString("Concilium dashboard"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff");
        bare().get("/ui/charts.js").then().statusCode(200).body(containsString("barChart"));
    }

    private static RequestSpecification bare() {
        return anonymous().basePath("");
    }

    private static RequestSpecification ui(String session) {
        return bare().header("X-Concilium-UI", "1").cookie("concilium_ui", session);
    }

    private static Response signInResponse(String name, String password) {
        return bare().header("X-Concilium-UI", "1").contentType("application/x-www-form-urlencoded")
                .formParam("name", name).formParam("password", password).post("/ui/api/session");
    }

    private static String signIn(String name, String password) {
        Response r = signInResponse(name, password);
        r.then().statusCode(200).header("Set-Cookie", containsString("HttpOnly"))
                .header("Set-Cookie", containsString("SameSite=Strict"));
        return r.getCookie("concilium_ui");
    }
}
