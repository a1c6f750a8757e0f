package org.concilium.federation.identity;

import static org.concilium.federation.identity.PeerProtocolException.Reason.WRONG_RECIPIENT;

import java.util.Objects;

/**
 * Opens incoming peer messages: parse, check the network / epoch binding, find the sender's pinned certificate in
 * the descriptor, check the recipient, verify the signature, and only then record the message against replays (so
 * forged messages cannot burn nonces).
 */
public final class EnvelopeVerifier {
    private final NetworkDescriptor descriptor;
    private final String self;
    private final ReplayGuard guard;

    public EnvelopeVerifier(NetworkDescriptor descriptor, String selfSiteId, ReplayStore replays) {
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
        this.self = Objects.requireNonNull(selfSiteId, "selfSiteId");
        if (descriptor.site(selfSiteId).isEmpty()) throw new IllegalArgumentException(selfSiteId + " is not in the descriptor");
        this.guard = new ReplayGuard(descriptor.networkId(), descriptor.keyEpoch(), replays);
    }

    public SignedEnvelope open(byte[] wire) {
        SignedEnvelope e = SignedEnvelope.decode(wire);
        EnvelopeHeader h = e.header();
        guard.checkBinding(h);
        var cert = descriptor.certificate(h.sender());
        if (h.recipient() != null && !h.recipient().equals(self)) {
            throw new PeerProtocolException(WRONG_RECIPIENT, "message for " + h.recipient() + " received by " + self);
        }
        e.verify(cert);
        guard.admit(h);
        return e;
    }
}
