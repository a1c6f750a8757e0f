package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.concilium.federation.Queriers;
import org.junit.jupiter.api.Test;

/** With a queriers file, /network/fhir answers only callers with a known bearer token. */
@QuarkusTest
@TestProfile(QuerierAuthenticationTest.WithQueriers.class)
class QuerierAuthenticationTest extends FhirTestBase {

    static final String TOKEN = "quality-team-secret-token";

    public static class WithQueriers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("queriers", ".txt");
                Files.writeString(file, "# name:sha256(token)\nquality-team:" + Queriers.sha256(TOKEN) + "\n");
                return Map.of("concilium.network.queriers-file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final String OP = "/network/fhir/Measure/m/$evaluate-measure?periodStart=2024&periodEnd=2024";

    @Test
    void missingOrUnknownTokensAre401() {
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).get(OP).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("resourceType", equalTo("OperationOutcome")).body("issue[0].code", equalTo("login"));
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", "Bearer wrong")
                .get(OP).then().statusCode(401).body("issue[0].diagnostics", containsString("unknown querier"));
    }

    @Test
    void aKnownQuerierGetsThrough() {
        // past authentication, this stand-alone node answers that it belongs to no network
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", "Bearer " + TOKEN)
                .get(OP).then().statusCode(503);
    }
}
