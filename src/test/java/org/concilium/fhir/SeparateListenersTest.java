package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code concilium.network-api.port} set, the network API and the site API are on different
 * listeners: /network/fhir answers only on the network port, /fhir and /ui only on the site port;
 * the token endpoint and health answer on both (queriers need tokens).
 */
@QuarkusTest
@TestProfile(SeparateListenersTest.Separate.class)
class SeparateListenersTest extends FhirTestBase {

    public static class Separate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("concilium.network-api.port", "0", "concilium.network-api.host", "127.0.0.1");
        }
    }

    @Inject
    NetworkListener listener;

    private String networkListener() {
        assertThat(listener.port()).isPositive().isNotEqualTo(RestAssured.port);
        return "http://127.0.0.1:" + listener.port();
    }

    private static String siteListener() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    @Test
    void eachApiAnswersOnItsOwnListenerOnly() {
        String token = "Bearer " + tokens().token();
        // the network API: on its listener, not on the site's
        RestAssured.given().get(networkListener() + "/network/fhir/metadata").then().statusCode(200)
                .body("resourceType", equalTo("CapabilityStatement"));
        RestAssured.given().get(siteListener() + "/network/fhir/metadata").then().statusCode(404);
        RestAssured.given().header("Authorization", token).get(siteListener() + "/network/fhir/Measure").then()
                .statusCode(404);
        int onNetwork = RestAssured.given().header("Authorization", token).get(networkListener() + "/network/fhir/Measure")
                .statusCode();
        assertThat(onNetwork).isNotEqualTo(404);
        RestAssured.given().get(networkListener() + "/network/fhir/Measure").then().statusCode(401);

        // the site API and the dashboard: on the site listener, not on the network's
        fhir().get("/Patient?_count=1").then().statusCode(200);
        RestAssured.given().header("Authorization", token).get(networkListener() + "/fhir/Patient?_count=1").then()
                .statusCode(404);
        RestAssured.given().get(networkListener() + "/fhir/metadata").then().statusCode(404);
        RestAssured.given().get(networkListener() + "/ui/").then().statusCode(404);
        RestAssured.given().header("X-Concilium-UI", "1").contentType("application/x-www-form-urlencoded")
                .formParam("name", "x").formParam("password", "y").post(networkListener() + "/ui/api/session").then()
                .statusCode(404);

        // shared: tokens, keys, health
        for (String base : new String[] {siteListener(), networkListener()}) {
            RestAssured.given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "x")
                    .post(base + "/auth/token").then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
            RestAssured.given().get(base + "/auth/jwks").then().statusCode(200);
            RestAssured.given().get(base + "/q/health/live").then().statusCode(200);
        }
    }
}
