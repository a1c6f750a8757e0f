package org.concilium.privacy;

/**
 * Privacy of one release of a vector carrying Skellam noise of variance μ per slot.
 *
 * <p>Rényi DP of the Skellam mechanism, Agarwal, Kairouz &amp; Liu, "The Skellam Mechanism for Differentially
 * Private Federated Learning", NeurIPS 2021 (Thm. 3.5 / Cor. 3.6), in the parametrisation where μ is the variance
 * of the aggregate noise, for integer order α &gt; 1:
 * <pre>  ε(α) = α Δ₂² / (2μ) + min( ((2α − 1) Δ₂² + 6 Δ₁) / (4μ²), 3 Δ₁ / (2μ) )</pre>
 * with Δ₁, Δ₂ the L1 and L2 sensitivities of the vector to one subject (for count slots where a subject moves
 * each touched slot by 1: Δ₁ = number of slots touched, Δ₂² = Δ₁). Conversion to (ε, δ)-DP (Canonne, Kamath
 * &amp; Steinke 2020, Prop. 12; as in Opacus / TF Privacy):
 * <pre>  ε = min_α  ε(α) + log((α − 1)/α) − (log δ + log α)/(α − 1)</pre>
 */
public final class SkellamAccountant {
    static final int MAX_ORDER = 512;

    private SkellamAccountant() {}

    public static double rdp(int alpha, double mu, double l1, double l2Squared) {
        if (alpha < 2) throw new IllegalArgumentException("alpha must be an integer >= 2");
        if (!(mu > 0)) throw new IllegalArgumentException("mu must be > 0");
        return alpha * l2Squared / (2 * mu)
                + Math.min(((2.0 * alpha - 1) * l2Squared + 6 * l1) / (4 * mu * mu), 3 * l1 / (2 * mu));
    }

    /** (ε, δ)-DP ε of one release with count sensitivity {@code l1} (Δ₂² = Δ₁). */
    public static double epsilon(double mu, double delta, int l1) {
        return epsilon(mu, delta, l1, l1);
    }

    public static double epsilon(double mu, double delta, double l1, double l2Squared) {
        if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("delta must be in (0, 1)");
        double best = Double.POSITIVE_INFINITY;
        for (int a = 2; a <= MAX_ORDER; a++) {
            double e = rdp(a, mu, l1, l2Squared) + Math.log((a - 1.0) / a) - (Math.log(delta) + Math.log(a)) / (a - 1);
            best = Math.min(best, e);
        }
        return Math.max(0, best);
    }

    /** Smallest variance μ (to 0.1 %) whose release is (ε, δ)-DP for count sensitivity {@code l1}. */
    public static double muFor(double epsilon, double delta, int l1) {
        return muFor(epsilon, delta, l1, l1);
    }

    /** Smallest variance μ (to 0.1 %) whose release is (ε, δ)-DP for sensitivities Δ₁ = {@code l1}, Δ₂² = {@code l2Squared}. */
    public static double muFor(double epsilon, double delta, double l1, double l2Squared) {
        if (!(epsilon > 0)) throw new IllegalArgumentException("epsilon must be > 0");
        double lo = 1e-6;
        double hi = 1;
        while (epsilon(hi, delta, l1, l2Squared) > epsilon) {
            hi *= 2;
            if (hi > 1e30) throw new IllegalArgumentException("epsilon too small for any practical mu");
        }
        while (hi / lo > 1.001) {
            double mid = Math.sqrt(lo * hi);
            if (epsilon(mid, delta, l1, l2Squared) > epsilon) lo = mid; else hi = mid;
        }
        return hi;
    }
}
