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
}
