package org.concilium.federation;

import java.util.Map;

/**
 * One thing a network node needs before it serves queries (the collective key agreed, the privacy
 * policy agreed). The protocol packages provide them; {@link NetworkReadiness} only collects them,
 * so this package depends on none of those packages.
 */
public interface ReadinessCondition {

    boolean ready();

    /** What the readiness data show for it (e.g. the key epoch and fingerprint, the policy hash). */
    Map<String, Object> data();
}
