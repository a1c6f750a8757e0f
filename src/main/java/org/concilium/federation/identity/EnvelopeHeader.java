package org.concilium.federation.identity;

import static org.concilium.federation.identity.PeerProtocolException.Reason.MALFORMED;

import java.nio.charset.StandardCharsets;

/**
 * What a peer message is bound to. {@code recipient} is null for a message meant for every site (e.g. the
 * aggregate the entry node forwards); {@code nonce} is the sender's sequence number, unique per (query, round).
 */
public record EnvelopeHeader(String networkId, long epoch, String queryId, int round, String sender, String recipient,
        long nonce) {
    static final int MAX_ID_BYTES = 255;

    public EnvelopeHeader {
        requireText("networkId", networkId, false);
        requireText("queryId", queryId, false);
        requireText("sender", sender, false);
        requireText("recipient", recipient, true);
        if (epoch < 0) throw new PeerProtocolException(MALFORMED, "epoch must be >= 0");
        if (round < 0) throw new PeerProtocolException(MALFORMED, "round must be >= 0");
        if (nonce < 0) throw new PeerProtocolException(MALFORMED, "nonce must be >= 0");
        if (recipient != null && recipient.isEmpty()) recipient = null;
    }

    private static void requireText(String field, String value, boolean optional) {
        if (value == null || value.isEmpty()) {
            if (optional) return;
            throw new PeerProtocolException(MALFORMED, field + " required");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new PeerProtocolException(MALFORMED, field + " longer than " + MAX_ID_BYTES + " bytes");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) throw new PeerProtocolException(MALFORMED, field + " has control characters");
        }
    }
}
