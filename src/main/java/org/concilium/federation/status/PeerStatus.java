package org.concilium.federation.status;

import java.time.Instant;

/**
 * One peer as this site sees it after a probe.
 *
 * @param site the peer's id in the descriptor
 * @param reachable it answered over the peer channel (even with a refusal)
 * @param sameEpoch it answered at this site's network and key epoch (a signed answer bound to it)
 * @param sameKey it holds the collective key this site holds (same fingerprint)
 * @param samePolicy its descriptor states the same privacy policy (same hash)
 * @param latencyMillis how long the probe took
 * @param lastSeen when it last answered at this epoch (null: not since this node started)
 * @param problem what went wrong, in words (null when all is well)
 */
public record PeerStatus(String site, boolean reachable, boolean sameEpoch, boolean sameKey, boolean samePolicy,
        long latencyMillis, Instant lastSeen, String problem) {

    public boolean ready() {
        return reachable && sameEpoch && sameKey && samePolicy;
    }
}
