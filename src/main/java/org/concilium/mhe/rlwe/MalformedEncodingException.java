package org.concilium.mhe.rlwe;

/** Bytes that are not an exact, valid encoding of the expected object under the expected parameters. */
public final class MalformedEncodingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedEncodingException(String message) {
        super(message);
    }

    public MalformedEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
