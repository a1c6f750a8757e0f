package org.concilium.federation.peer;

import org.concilium.federation.identity.SignedEnvelope;

/** Answers one kind of verified peer request with the payload of the signed response. */
public interface PeerHandler {
    byte[] handle(SignedEnvelope request);
}
