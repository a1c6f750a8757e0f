package org.concilium.network;

import org.concilium.demo.DemoMeasures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Five sites: the network total still equals one node holding everyone's data, from any entry node. */
class FiveSiteNetworkIT {

    private static NetworkFixture net;

    @BeforeAll
    static void up() throws Exception {
        net = NetworkFixture.start(5, 80);
    }

    @AfterAll
    static void down() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void networkReportEqualsTheUnionForEveryScoringType() {
        for (int i = 0; i < DemoMeasures.IDS.size(); i++) {
            net.assertNetworkEqualsUnion(DemoMeasures.IDS.get(i), i % net.sites.size());
        }
    }
}
