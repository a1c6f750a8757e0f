package org.concilium.federation.query;

import java.util.Locale;
import java.util.function.Supplier;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.peer.PeerRefusal;
import org.concilium.layout.DpSensitivity;
import org.concilium.layout.MeasureLayout;
import org.concilium.privacy.NetworkPrivacyPolicy;

/**
 * A site's check of a query request against the privacy policy in its own descriptor, before it
 * admits the query (and debits its ledger): the same policy (hash), at least the policy's ε, and at
 * least the noise μ the policy sets for this Measure's layout. A request asking for less is an
 * entry node trying to spend less privacy than the network agreed; it is refused, naming it.
 */
final class PolicyCheck {

    private PolicyCheck() {
    }

    /** The noise variance μ the policy sets for this Measure; refuses a Measure whose sensitivity is unknown. */
    static double noiseMu(NetworkPrivacyPolicy policy, MeasureLayout layout) {
        if (!policy.dpEnabled()) {
            return 0;
        }
        try {
            return policy.skellamMu(DpSensitivity.of(layout));
        } catch (DpSensitivity.Unknown e) {
            throw new PeerRefusal(422, "DP_SENSITIVITY_UNKNOWN", "the policy requires DP and " + e.getMessage());
        }
    }

    /** {@code layout} is the Measure's layout at this site, derived only when the policy needs it. */
    static void require(NetworkContext.Membership m, NetworkPrivacyPolicy policy, QueryRequest q,
            Supplier<MeasureLayout> layout) {
        if (!policy.hash().equals(q.policyHash())) {
            throw new PeerRefusal(422, "POLICY_MISMATCH", "the request is under privacy policy " + q.policyHash()
                    + "; " + m.siteId() + " enforces " + policy.hash());
        }
        if (!policy.dpEnabled()) {
            return;
        }
        if (q.epsilon() + 1e-12 < policy.epsilonPerQuery()) {
            throw new PeerRefusal(422, "EPSILON_BELOW_POLICY", String.format(Locale.ROOT,
                    "the request charges epsilon %.6g; the policy charges %.6g per query", q.epsilon(),
                    policy.epsilonPerQuery()));
        }
        double mu = noiseMu(policy, layout.get());
        if (q.noiseMu() < mu * (1 - 1e-9)) {
            throw new PeerRefusal(422, "NOISE_BELOW_POLICY", String.format(Locale.ROOT,
                    "the request asks for noise mu %.6g; the policy sets %.6g for this measure", q.noiseMu(), mu));
        }
    }
}
