package org.concilium.security;

/** No bearer token, or one that is malformed, expired, forged or of a client no longer registered: 401. */
public class NotAuthenticatedException extends RuntimeException {

    private final boolean tokenPresented;

    public NotAuthenticatedException(String message) {
        this(message, true);
    }

    private NotAuthenticatedException(String message, boolean tokenPresented) {
        super(message);
        this.tokenPresented = tokenPresented;
    }

    public static NotAuthenticatedException missing() {
        return new NotAuthenticatedException("this endpoint needs an access token (Authorization: Bearer ...);"
                + " get one at the token endpoint named in .well-known/smart-configuration", false);
    }

    /** False when no token was sent at all (RFC 6750: then the challenge carries no error code). */
    public boolean tokenPresented() {
        return tokenPresented;
    }
}
