package org.concilium.privacy;

/**
 * How a network releases query results. Immutable; validated on construction so an unsafe policy cannot exist.
 *
 * @param k small-cell threshold: counts in 1..k−1 are masked (k = 1 disables suppression)
 * @param dpEnabled whether sites add Skellam noise shares
 * @param epsilonPerQuery ε charged to the querier per query (and used to size the noise) when DP is on
 * @param delta δ of the (ε, δ) guarantee when DP is on
 * @param budgetPerQuerier total ε a querier may spend (per ledger period) when DP is on
 */
public record ReleasePolicy(int k, boolean dpEnabled, double epsilonPerQuery, double delta, double budgetPerQuerier) {
    /** CMS cell-size policy. */
    public static final int DEFAULT_K = 11;

    public ReleasePolicy {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1");
        if (dpEnabled) {
            if (!(epsilonPerQuery > 0) || Double.isInfinite(epsilonPerQuery)) {
                throw new IllegalArgumentException("epsilonPerQuery must be finite and > 0 when DP is on");
            }
            if (!(delta > 0 && delta < 1e-3)) throw new IllegalArgumentException("delta must be in (0, 1e-3) when DP is on");
            if (!(budgetPerQuerier >= epsilonPerQuery) || Double.isInfinite(budgetPerQuerier)) {
                throw new IllegalArgumentException("budgetPerQuerier must be finite and >= epsilonPerQuery");
            }
        }
    }

    /** Suppression with k = 11, no noise. */
    public static ReleasePolicy suppressionOnly() {
        return new ReleasePolicy(DEFAULT_K, false, 0, 0, 0);
    }

    /** Suppression with k = 11 and Skellam noise of (ε, δ = 10⁻⁶) per query, ε total budget per querier. */
    public static ReleasePolicy withDp(double epsilonPerQuery, double budgetPerQuerier) {
        return new ReleasePolicy(DEFAULT_K, true, epsilonPerQuery, 1e-6, budgetPerQuerier);
    }

    /** Noise variance μ of the network sum for a vector with count sensitivity {@code l1}; 0 when DP is off. */
    public double skellamMu(int l1) {
        return dpEnabled ? SkellamAccountant.muFor(epsilonPerQuery, delta, l1) : 0;
    }
}
