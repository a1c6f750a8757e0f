package org.concilium.federation.identity;

/**
 * Malformed, unauthenticated or replayed peer input, or an invalid identity / descriptor file. The reason code is
 * safe to log and to map to a protocol error; the message names the offending field but never key material.
 */
public final class PeerProtocolException extends RuntimeException {
    /** Why input was rejected. */
    public enum Reason {
        TRUNCATED,
        MALFORMED,
        UNSUPPORTED_VERSION,
        TOO_LARGE,
        WRONG_NETWORK,
        WRONG_EPOCH,
        UNKNOWN_SENDER,
        WRONG_RECIPIENT,
        BAD_SIGNATURE,
        REPLAY,
        INVALID_DESCRIPTOR,
        INVALID_IDENTITY
    }

    private final Reason reason;

    public PeerProtocolException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public PeerProtocolException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
