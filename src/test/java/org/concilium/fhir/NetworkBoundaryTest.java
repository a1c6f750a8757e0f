package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** /network/fhir on a node that belongs to no network: aggregate-only rules first, then 503. */
@QuarkusTest
class NetworkBoundaryTest extends FhirTestBase {

    @Test
    void individualQuestionsAreRefusedWithTheReason() {
        network().get("/Measure/m/$evaluate-measure?periodStart=2024&periodEnd=2024&subject=Patient/p").then()
                .statusCode(422).body("issue[0].diagnostics", containsString("aggregate questions only"));
        network().get("/Measure/m/$evaluate-measure?periodStart=2024&periodEnd=2024&reportType=subject-list").then()
                .statusCode(422);
        network().get("/Measure/m/$evaluate-measure?periodStart=2024&periodEnd=2024&dataEndpoint=http://x").then()
                .statusCode(400);
    }

    @Test
    void withoutANetworkTheNetworkBaseIsNotReady() {
        network().get("/Measure/m/$evaluate-measure?periodStart=2024&periodEnd=2024").then().statusCode(503)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("not part of a network"));
        network().get("/metadata").then().statusCode(200).body("rest[0].resource[0].operation[0].name",
                equalTo("evaluate-measure"));
        RestAssured.get("/q/health/ready").then().statusCode(200);
    }
}
