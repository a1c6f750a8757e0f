package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sign-in resource is the one dashboard path that authenticates itself (BearerAuthentication
 * skips paths starting with /ui/api/session). A path that starts with it but routes elsewhere (dot
 * segments, encoded slashes, a longer name) must not reach another resource without credentials.
 */
@QuarkusTest
class UiPublicPrefixTest extends FhirTestBase {

    @Test
    void pathsThatOnlyStartLikeTheSignInAreNotPublic() {
        for (String path : List.of("/ui/api/session/../peers", "/ui/api/session/..%2Fpeers", "/ui/api/session%2F..%2Fpeers",
                "/ui/api/sessions", "/ui/api/session/../../../fhir/Patient", "/ui/api/session/..%2F..%2F..%2Ffhir%2FPatient",
                "/ui/api/session;/../peers", "/ui/api/session/%2e%2e/peers", "/ui/api/session/%2e%2e/%2e%2e/%2e%2e/fhir/Patient")) {
            Response r = RestAssured.given().urlEncodingEnabled(false).header("X-Concilium-UI", "1").get(path);
            System.out.println("UI-PREFIX " + path + " -> " + r.statusCode());
            assertThat(r.statusCode()).as(path).isIn(401, 404, 405, 400);
            assertThat(r.asString()).as(path).doesNotContain("\"peers\"").doesNotContain("\"Bundle\"");
        }
    }
}
