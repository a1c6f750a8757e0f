package org.concilium.federation.identity;

import static org.concilium.federation.identity.PeerProtocolException.Reason.WRONG_RECIPIENT;

import java.util.Objects;
import java.util.function.Consumer;

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
        return open(wire, h -> { });
    }

    /**
     * As {@link #open(byte[])}, with the transport's own checks of the verified header (who the TLS
     * client is, which path it was posted to) run before the message is recorded: a member relaying
     * another member's signed message over its own connection is refused without burning that
     * message's nonce, so the real sender's delivery still gets through.
     */
    public SignedEnvelope open(byte[] wire, Consumer<EnvelopeHeader> transportCheck) {
        SignedEnvelope e = SignedEnvelope.decode(wire);
        EnvelopeHeader h = e.header();
        guard.checkBinding(h);
        var cert = descriptor.certificate(h.sender());
        if (h.recipient() != null && !h.recipient().equals(self)) {
            throw new PeerProtocolException(WRONG_RECIPIENT, "message for " + h.recipient() + " received by " + self);
        }
        e.verify(cert);
        transportCheck.accept(h);
        guard.admit(h);
        return e;
    }
}
