package org.concilium.federation.peer;

/** A well-formed peer request this site refuses (policy, state machine, failed verification). */
public class PeerRefusal extends RuntimeException {

    private final int status;

    public PeerRefusal(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
