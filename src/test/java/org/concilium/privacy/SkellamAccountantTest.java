package org.concilium.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SkellamAccountantTest {

    @Test
    void rdpMatchesTheAgarwalBound() {
        // α=2, μ=100, Δ1=Δ2²=1: 2/200 + min((3+6)/40000, 3/200)
        assertEquals(0.01 + 9.0 / 40_000, SkellamAccountant.rdp(2, 100, 1, 1), 1e-15);
        // small μ: the linear branch 3Δ1/(2μ) wins
        assertEquals(2 * 1 / 2.0 + 1.5, SkellamAccountant.rdp(2, 1, 1, 1), 1e-12);
    }

    @Test
    void epsilonBehavesLikeTheGaussianForLargeMu() {
        // Gaussian σ=5, δ=1e-5 gives ε ≈ 0.8–1.0 through RDP; Skellam with variance 25 must be close
        double eps = SkellamAccountant.epsilon(25, 1e-5, 1);
        assertTrue(eps > 0.6 && eps < 1.2, "eps=" + eps);
        assertTrue(SkellamAccountant.epsilon(100, 1e-5, 1) < eps, "more noise, less epsilon");
        assertTrue(SkellamAccountant.epsilon(25, 1e-5, 10) > eps, "more sensitivity, more epsilon");
    }

    @Test
    void muForInvertsEpsilon() {
        for (double target : new double[] {0.1, 0.5, 1, 3}) {
            double mu = SkellamAccountant.muFor(target, 1e-6, 40);
            assertTrue(SkellamAccountant.epsilon(mu, 1e-6, 40) <= target);
            assertTrue(SkellamAccountant.epsilon(mu * 0.99, 1e-6, 40) > target * 0.999);
        }
        assertThrows(IllegalArgumentException.class, () -> SkellamAccountant.muFor(0, 1e-6, 1));
        assertThrows(IllegalArgumentException.class, () -> SkellamAccountant.epsilon(10, 0, 1));
    }
}
