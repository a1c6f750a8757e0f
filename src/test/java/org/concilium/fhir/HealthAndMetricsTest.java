package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthAndMetricsTest extends FhirTestBase {

    @Test
    void livenessReadinessAndPrometheusMetrics() {
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("Reactive PostgreSQL"));
        RestAssured.get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    }
}
