package org.concilium.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The descriptor's policy: validated, and named by a hash every site computes alike. */
class NetworkPrivacyPolicyTest {

    @Test
    void equalPoliciesHaveEqualHashesAndAnyDifferenceChangesIt() {
        NetworkPrivacyPolicy p = new NetworkPrivacyPolicy(11, 1.0, 1e-6, 10);
        assertThat(p.hash()).isEqualTo(new NetworkPrivacyPolicy(11, 1.0, 1e-6, 10).hash()).hasSize(64);
        assertThat(p.hash()).isNotEqualTo(new NetworkPrivacyPolicy(5, 1.0, 1e-6, 10).hash())
                .isNotEqualTo(new NetworkPrivacyPolicy(11, 0.5, 1e-6, 10).hash())
                .isNotEqualTo(new NetworkPrivacyPolicy(11, 1.0, 1e-7, 10).hash())
                .isNotEqualTo(new NetworkPrivacyPolicy(11, 1.0, 1e-6, 20).hash());
    }

    @Test
    void unsafePoliciesCannotBeBuilt() {
        assertThatThrownBy(() -> new NetworkPrivacyPolicy(0, 0, 1e-6, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NetworkPrivacyPolicy(11, -1, 1e-6, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NetworkPrivacyPolicy(11, 1, 0.01, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NetworkPrivacyPolicy(11, 2, 1e-6, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noiseFollowsThePolicyAndTheSensitivity() {
        NetworkPrivacyPolicy p = new NetworkPrivacyPolicy(11, 1.0, 1e-6, 10);
        double one = p.skellamMu(new org.concilium.layout.DpSensitivity(1, 1));
        double four = p.skellamMu(new org.concilium.layout.DpSensitivity(4, 4));
        assertThat(four).isGreaterThan(one);
        assertThat(SkellamAccountant.epsilon(one, 1e-6, 1)).isLessThanOrEqualTo(1.0);
        assertThat(NetworkPrivacyPolicy.DEFAULT.skellamMu(new org.concilium.layout.DpSensitivity(4, 4))).isZero();
    }
}
