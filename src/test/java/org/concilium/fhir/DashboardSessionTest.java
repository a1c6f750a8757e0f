package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.concilium.ui.PasswordHash;
import org.concilium.ui.UiRole;
import org.concilium.ui.UiUser;
import org.concilium.ui.UiUserStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dashboard sign-in over HTTP: hashed users, the session cookie as a scope-checked credential, the CSRF header. */
@QuarkusTest
class DashboardSessionTest extends FhirTestBase {

    private static final String PASSWORD = "correct horse battery";

    @Inject
    Pool pool;

    @BeforeEach
    void users() {
        UiUserStore store = new UiUserStore(pool);
        store.put(new UiUser("dash-querier", UiRole.QUERIER, PasswordHash.hash(PASSWORD)));
        store.put(new UiUser("dash-staff", UiRole.SITE_STAFF, PasswordHash.hash(PASSWORD)));
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
    void theDashboardIsServedByTheNode() {
        bare().get("/ui/").then().statusCode(200).body(containsString("Concilium dashboard"));
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
