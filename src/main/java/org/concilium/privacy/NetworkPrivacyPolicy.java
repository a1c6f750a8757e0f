package org.concilium.privacy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The network's privacy policy as the network descriptor states it ({@code "privacy"}), the same
 * at every site: small-cell threshold, ε per query and δ (with the layout's sensitivity they fix
 * the Skellam noise μ each site adds), and the ε budget per (entry node, querier) that every site
 * keeps in its own ledger. Validated like {@link ReleasePolicy} (an unsafe policy cannot be
 * built); {@link #hash()} is what sites compare to agree on it.
 *
 * @param minCellSize k: counts in 1..k−1 are suppressed
 * @param epsilonPerQuery ε per query; 0 = no differential privacy
 * @param delta δ of the (ε, δ) guarantee (ignored when ε = 0)
 * @param budgetPerQuerier total ε one querier may spend through one entry node, at each site
 */
public record NetworkPrivacyPolicy(
        @JsonProperty("minCellSize") int minCellSize,
        @JsonProperty("epsilonPerQuery") double epsilonPerQuery,
        @JsonProperty("delta") double delta,
        @JsonProperty("budgetPerQuerier") double budgetPerQuerier) {

    /** Suppression only (k = 11), no noise: what a descriptor without a privacy block means. */
    public static final NetworkPrivacyPolicy DEFAULT = new NetworkPrivacyPolicy(ReleasePolicy.DEFAULT_K, 0, 1e-6, 10);

    public NetworkPrivacyPolicy {
        if (epsilonPerQuery < 0 || Double.isNaN(epsilonPerQuery)) {
            throw new IllegalArgumentException("epsilonPerQuery must be >= 0");
        }
        release(minCellSize, epsilonPerQuery, delta, budgetPerQuerier); // validates
    }

    public boolean dpEnabled() {
        return epsilonPerQuery > 0;
    }

    /** The release rules this policy implies (validated). */
    public ReleasePolicy releasePolicy() {
        return release(minCellSize, epsilonPerQuery, delta, budgetPerQuerier);
    }

    private static ReleasePolicy release(int k, double epsilon, double delta, double budget) {
        return epsilon > 0 ? new ReleasePolicy(k, true, epsilon, delta, budget) : new ReleasePolicy(k, false, 0, 0, 0);
    }

    /** Total noise variance μ of the network sum for a layout of this sensitivity; 0 without DP. */
    public double skellamMu(org.concilium.layout.DpSensitivity sensitivity) {
        return dpEnabled() ? SkellamAccountant.muFor(epsilonPerQuery, delta, sensitivity.l1(), sensitivity.l2Squared()) : 0;
    }

    /** SHA-256 (hex) of the canonical form: equal policies, equal hashes, at every site. */
    public String hash() {
        String canonical = String.format(Locale.ROOT, "concilium-privacy-v1|k=%d|eps=%s|delta=%s|budget=%s", minCellSize,
                Double.toString(epsilonPerQuery), Double.toString(dpEnabled() ? delta : 0),
                Double.toString(dpEnabled() ? budgetPerQuerier : 0));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
