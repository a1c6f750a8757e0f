package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.concilium.security.ClientRegistry;
import org.concilium.testing.ScopedClients;
import org.junit.jupiter.api.Test;

/**
 * Type-level $validate needs no resource scope, and the HL7 validator costs about 7 ms of CPU per
 * Observation (a 3,000-entry, 846 KB Bundle took 19-24 s on the shared 2 cores): with the 200 MB body
 * limit, any client holding any token could keep the node's cores busy for hours with one request
 * (red-team finding). $validate bodies are bounded by concilium.fhir.validate.max-body-size (413).
 */
@QuarkusTest
class ValidateCostLimitTest extends FhirTestBase {

    @Inject
    ClientRegistry registry;

    @Test
    void aValidateBodyOverItsLimitIsA413BeforeTheValidatorRuns() {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[");
        for (int i = 0; i < 30_000; i++) {
            b.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Basic\",\"code\":{\"text\":\"")
                    .append(i).append("\"}}}");
        }
        b.append("]}");
        String anyToken = ScopedClients.authorization(registry, "system/Organization.r");
        long start = System.nanoTime();
        fhir().header("Authorization", anyToken).body(b.toString()).post("/Bundle/$validate").then().statusCode(413)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("concilium.fhir.validate.max-body-size"));
        org.assertj.core.api.Assertions.assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        fhir().header("Authorization", anyToken).body("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"}}")
                .post("/Basic/$validate").then().statusCode(200);
    }

    /**
     * Validations at once are bounded (concilium.fhir.validate.max-concurrent, 1 in tests): callers beyond it get
     * 429 with Retry-After at once rather than each holding a core. Four validations of seconds each sent together
     * cannot all be served by one slot.
     */
    @Test
    void validationsBeyondTheConcurrencyBoundAre429WithRetryAfter() throws Exception {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[");
        for (int i = 0; i < 1_500; i++) {
            b.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Basic\",\"code\":{\"text\":\"")
                    .append(i).append("\"}}}");
        }
        String bundle = b.append("]}").toString();
        String anyToken = ScopedClients.authorization(registry, "system/Organization.r");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<io.restassured.response.Response>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> fhir().header("Authorization", anyToken).body(bundle)
                        .post("/Bundle/$validate").andReturn()));
            }
            java.util.List<io.restassured.response.Response> answers = new java.util.ArrayList<>();
            for (var c : calls) {
                answers.add(c.get(5, java.util.concurrent.TimeUnit.MINUTES));
            }
            org.assertj.core.api.Assertions.assertThat(answers).extracting(io.restassured.response.Response::statusCode)
                    .containsOnly(200, 429).contains(200, 429);
            io.restassured.response.Response busy = answers.stream().filter(a -> a.statusCode() == 429).findFirst()
                    .orElseThrow();
            org.assertj.core.api.Assertions.assertThat(busy.header("Retry-After")).isEqualTo("5");
            org.assertj.core.api.Assertions.assertThat(busy.jsonPath().getString("issue[0].code")).isEqualTo("throttled");
        } finally {
            pool.shutdownNow();
        }
        // the slot is free again afterwards
        fhir().header("Authorization", anyToken).body("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"}}")
                .post("/Basic/$validate").then().statusCode(200);
    }
}
