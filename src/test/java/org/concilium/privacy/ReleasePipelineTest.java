package org.concilium.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.concilium.layout.MeasureLayout;
import org.concilium.measure.MeasureModel;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.Test;

/** The release path of a query in plaintext: site vectors + noise shares → sum → decode → suppression. */
class ReleasePipelineTest {

    private static final int SITES = 3;
    private static final String TINY = "g[#1].strat[gender][female].pop[initial-population]";

    private final Measure measure = SmallCellSuppressionTest.measure("proportion", "initial-population", "denominator",
            "numerator");
    private final MeasureLayout layout = MeasureLayout.of(MeasureModel.of(measure));
    private final ReleasePolicy policy = ReleasePolicy.withDp(1.0, 10.0);
    private final double mu = policy.skellamMu(layout.countSensitivity());
    private final SkellamNoise noise = new SkellamNoise(new SecureRandom());

    /** Each site's exact vector: 400 / 300 / 150 in the group, and one patient in the female stratum. */
    private long[] siteVector() {
        long[] v = new long[layout.slotCount()];
        v[layout.indexOf("g[#1].pop[initial-population]")] = 400;
        v[layout.indexOf("g[#1].pop[denominator]")] = 300;
        v[layout.indexOf("g[#1].pop[numerator]")] = 150;
        v[layout.indexOf(TINY)] = 1;
        return v;
    }

    private long[] noisySum() {
        List<long[]> contributions = new ArrayList<>();
        for (int s = 0; s < SITES; s++) {
            contributions.add(noise.addShare(siteVector(), mu, SITES));
        }
        return layout.sum(contributions);
    }

    @Test
    void theSitesNoiseSharesAddUpToNoiseOfVarianceMu() {
        assertThat(mu).isBetween(1.0, 1e4);
        long[] exact = layout.sum(List.of(siteVector(), siteVector(), siteVector()));
        int trials = 2000;
        int slot = layout.indexOf("g[#1].pop[denominator]");
        double sumSq = 0;
        double sum = 0;
        int moved = 0;
        for (int t = 0; t < trials; t++) {
            long[] noisy = noisySum();
            assertThat(noisy).hasSameSizeAs(exact);
            long dev = noisy[slot] - exact[slot];
            sum += dev;
            sumSq += (double) dev * dev;
            moved += dev != 0 ? 1 : 0;
        }
        double mean = sum / trials;
        double variance = sumSq / trials - mean * mean;
        // the sample variance of 2,000 draws is within ±20 % of μ but with probability ~1e-9 (6 standard errors)
        assertThat(variance).as("variance of the released noise, μ = " + mu).isBetween(0.8 * mu, 1.2 * mu);
        assertThat(Math.abs(mean)).as("the noise is centred").isLessThan(6 * Math.sqrt(mu / trials));
        assertThat(moved).as("releases the noise changed").isGreaterThan(trials / 2);
    }

    @Test
    void aNoisyReleaseStaysNearTheTruthAndMasksTheSmallCell() {
        double bound = 6 * Math.sqrt(mu);
        SmallCellSuppression suppression = new SmallCellSuppression(policy);
        // the tiny cell (3 patients) plus noise lands in 1..k−1 in about a third of the releases: find one
        for (int trial = 0; trial < 100; trial++) {
            long[] sum = noisySum();
            long tiny = sum[layout.indexOf(TINY)];
            if (tiny < 1 || tiny >= policy.k()) {
                continue;
            }
            MeasureReport released = suppression.apply(layout.decode(sum), layout);
            var group = released.getGroupFirstRep();
            assertThat((double) group.getPopulation().get(1).getCount()).isCloseTo(900, org.assertj.core.data.Offset
                    .offset(bound));
            assertThat((double) group.getPopulation().get(2).getCount()).isCloseTo(450, org.assertj.core.data.Offset
                    .offset(bound));
            assertThat(group.getMeasureScore().getValue().doubleValue()).isCloseTo(0.5,
                    org.assertj.core.data.Offset.offset(0.1));
            StratifierGroupComponent female = group.getStratifierFirstRep().getStratum().stream()
                    .filter(s -> "female".equals(s.getValue().getText())
                            || "female".equals(s.getValue().getCodingFirstRep().getCode()))
                    .findFirst().orElseThrow();
            var count = female.getPopulation().stream()
                    .filter(p -> "initial-population".equals(p.getCode().getCodingFirstRep().getCode()))
                    .findFirst().orElseThrow().getCountElement();
            assertThat(SmallCellSuppression.isMasked(count)).as("noisy small cell " + tiny + " is masked").isTrue();
            return;
        }
        throw new AssertionError("in 100 releases the small cell never landed in 1..k−1: is noise of μ = " + mu
                + " still added?");
    }
}
