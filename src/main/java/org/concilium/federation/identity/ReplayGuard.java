package org.concilium.federation.identity;

import static org.concilium.federation.identity.PeerProtocolException.Reason.REPLAY;
import static org.concilium.federation.identity.PeerProtocolException.Reason.WRONG_EPOCH;
import static org.concilium.federation.identity.PeerProtocolException.Reason.WRONG_NETWORK;

import java.util.Objects;

/** Rejects messages of another network or key epoch, and any second message with the same (sender, query, round, nonce). */
public final class ReplayGuard {
    private final String networkId;
    private final long epoch;
    private final ReplayStore store;

    public ReplayGuard(String networkId, long epoch, ReplayStore store) {
        this.networkId = Objects.requireNonNull(networkId, "networkId");
        this.epoch = epoch;
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Binding checks only; nothing is recorded. */
    public void checkBinding(EnvelopeHeader h) {
        if (!networkId.equals(h.networkId())) throw new PeerProtocolException(WRONG_NETWORK, "message for network " + h.networkId());
        if (epoch != h.epoch()) throw new PeerProtocolException(WRONG_EPOCH, "message for epoch " + h.epoch() + ", current " + epoch);
    }

    /** Binding checks, then records the message; throws {@code REPLAY} if it was seen before. */
    public void admit(EnvelopeHeader h) {
        checkBinding(h);
        if (!store.recordIfNew(h.sender(), h.queryId(), h.round(), h.nonce())) {
            throw new PeerProtocolException(REPLAY, "message " + h.sender() + "/" + h.queryId() + "/" + h.round() + "/" + h.nonce()
                    + " already received");
        }
    }
}
