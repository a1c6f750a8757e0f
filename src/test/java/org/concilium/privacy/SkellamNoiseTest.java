package org.concilium.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SkellamNoiseTest {
    private final SkellamNoise noise = new SkellamNoise(new SecureRandom());

    private static double[] meanVar(long[] xs) {
        double m = 0;
        for (long x : xs) m += x;
        m /= xs.length;
        double v = 0;
        for (long x : xs) v += (x - m) * (x - m);
        return new double[] {m, v / (xs.length - 1)};
    }

    @Test
    void shareHasMeanZeroAndVarianceMuOverN() {
        // λ = μ/(2n) = 50: the transformed-rejection path
        double[] large = meanVar(noise.siteShare(40_000, 400, 4));
        assertEquals(0, large[0], 0.3);
        assertEquals(100, large[1], 6);
        // λ = 0.5: the inversion path
        double[] small = meanVar(noise.siteShare(40_000, 4, 4));
        assertEquals(0, small[0], 0.05);
        assertEquals(1, small[1], 0.08);
    }

    @Test
    void sharesOfAllSitesSumToSkellamMu() {
        int sites = 5;
        double mu = 60;
        long[] total = new long[30_000];
        for (int s = 0; s < sites; s++) {
            long[] share = noise.siteShare(total.length, mu, sites);
            for (int i = 0; i < total.length; i++) total[i] += share[i];
        }
        double[] mv = meanVar(total);
        assertEquals(0, mv[0], 0.3);
        assertEquals(mu, mv[1], mu * 0.06);
    }

    @Test
    void poissonSamplerMatchesItsMoments() {
        for (double lambda : new double[] {0.2, 3, 9.9, 10, 37.5, 2_000}) {
            long[] xs = new long[20_000];
            for (int i = 0; i < xs.length; i++) xs[i] = noise.poisson(lambda);
            double[] mv = meanVar(xs);
            double tol = 5 * Math.sqrt(lambda / xs.length);
            assertEquals(lambda, mv[0], tol, "mean for λ=" + lambda);
            assertEquals(lambda, mv[1], lambda * 0.08, "variance for λ=" + lambda);
            for (long x : xs) assertTrue(x >= 0);
        }
    }

    @Test
    void zeroMuAddsNothingAndBadArgumentsAreRefused() {
        assertArrayEquals(new long[] {3, 4}, noise.addShare(new long[] {3, 4}, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> noise.siteShare(3, -1, 3));
        assertThrows(IllegalArgumentException.class, () -> noise.siteShare(3, Double.NaN, 3));
        assertThrows(IllegalArgumentException.class, () -> noise.siteShare(3, 10, 0));
    }

    @Test
    void logFactorialIsAccurate() {
        assertEquals(Math.log(3_628_800), SkellamNoise.logFactorial(10), 1e-9);
        double exact = 0;
        for (int i = 2; i <= 40; i++) exact += Math.log(i);
        assertEquals(exact, SkellamNoise.logFactorial(40), 1e-9);
    }
}
