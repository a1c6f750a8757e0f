package org.concilium.federation.keys;

import org.concilium.federation.NetworkContext;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.peer.PeerRound;

/**
 * What every ceremony message is bound to: network, key epoch and ceremony id (one ceremony per
 * epoch: a member's CKG share is fixed for the epoch, so a restarted ceremony re-uses it).
 */
public record CeremonyBinding(String networkId, long epoch, String ceremonyId) {

    public static CeremonyBinding of(NetworkContext.Membership m) {
        return new CeremonyBinding(m.networkId(), m.epoch(), ceremonyId(m.epoch()));
    }

    public static String ceremonyId(long epoch) {
        return "ckg-epoch-" + epoch;
    }

    /** True when a (nested) envelope header is bound to this ceremony and round. */
    boolean binds(EnvelopeHeader h, PeerRound round) {
        return h.networkId().equals(networkId) && h.epoch() == epoch && h.queryId().equals(ceremonyId)
                && h.round() == round.number();
    }
}
