package org.concilium.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.concilium.layout.MeasureLayout;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.Test;

/** The release path of a query in plaintext: site vectors + noise shares → sum → decode → suppression. */
class ReleasePipelineTest {

    @Test
    void noisySumDecodesNearTheTruthAndIsSuppressed() {
        Measure m = SmallCellSuppressionTest.measure("proportion", "initial-population", "denominator", "numerator");
        MeasureLayout layout = MeasureLayout.of(m);
        ReleasePolicy policy = ReleasePolicy.withDp(1.0, 10.0);
        double mu = policy.skellamMu(layout.countSensitivity());
        assertTrue(mu > 1 && mu < 1e4, "mu=" + mu);

        int sites = 3;
        SkellamNoise noise = new SkellamNoise(new SecureRandom());
        List<long[]> contributions = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            long[] v = new long[layout.slotCount()];
            v[layout.indexOf("g[#1].pop[initial-population]")] = 400;
            v[layout.indexOf("g[#1].pop[denominator]")] = 300;
            v[layout.indexOf("g[#1].pop[numerator]")] = 150;
            v[layout.indexOf("g[#1].strat[gender][female].pop[initial-population]")] = 1; // a tiny cell
            contributions.add(noise.addShare(v, mu, sites));
        }
        MeasureReport released = new SmallCellSuppression(policy).apply(layout.decode(layout.sum(contributions)), layout);

        double bound = 6 * Math.sqrt(mu);
        int den = released.getGroupFirstRep().getPopulation().get(1).getCount();
        int num = released.getGroupFirstRep().getPopulation().get(2).getCount();
        assertEquals(900, den, bound);
        assertEquals(450, num, bound);
        assertEquals(0.5, released.getGroupFirstRep().getMeasureScore().getValue().doubleValue(), 0.1);
        assertEquals(layout.slotCount(), contributions.get(0).length);
    }
}
