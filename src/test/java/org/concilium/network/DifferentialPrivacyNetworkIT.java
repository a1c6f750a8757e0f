package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.concilium.network.NetworkFixture.PERIOD;
import static org.concilium.network.NetworkFixture.fhir;

import io.restassured.path.json.JsonPath;
import java.util.List;
import org.concilium.demo.DemoMeasures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A network with differential privacy on (ε = 5 per query, budget 10): every site adds its share of
 * Skellam noise before encrypting, so totals are close to, not equal to, the exact ones; the
 * querier's budget pays for two queries and the third is refused with 429.
 */
class DifferentialPrivacyNetworkIT {

    private static NetworkFixture net;

    @BeforeAll
    static void up() throws Exception {
        net = NetworkFixture.start(3, 100, List.of("--min-cell-size", "1", "--epsilon", "5", "--epsilon-budget", "10"));
    }

    @AfterAll
    static void down() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void noisyTotalsStayCloseAndTheBudgetRunsOut() {
        String op = net.sites.get(0).networkBase() + "/Measure/" + DemoMeasures.DIABETES_COHORT
                + "/$evaluate-measure?" + PERIOD;
        int exact = JsonPath.from(fhir().get(net.union.baseUrl() + "/fhir/Measure/" + DemoMeasures.DIABETES_COHORT
                + "/$evaluate-measure?reportType=population&" + PERIOD).then().statusCode(200).extract().asString())
                .getInt("group[0].population[0].count");
        for (int i = 0; i < 2; i++) {
            int noisy = JsonPath.from(fhir().get(op).then().statusCode(200).extract().asString())
                    .getInt("group[0].population[0].count");
            // ε = 5 per query for a count: the noise's standard deviation is well under 10
            assertThat(noisy).isBetween(exact - 25, exact + 25);
        }
        String refused = fhir().get(op).then().statusCode(429).extract().asString();
        assertThat(refused).contains("OperationOutcome").contains("privacy budget");
    }
}
