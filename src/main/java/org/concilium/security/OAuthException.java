package org.concilium.security;

/**
 * A refusal at the token endpoint, as RFC 6749 section 5.2 names it: {@code invalid_request},
 * {@code invalid_client} (401), {@code unsupported_grant_type}, {@code invalid_scope} (400). The
 * description says what was wrong without echoing the assertion.
 */
public class OAuthException extends RuntimeException {

    private final String error;
    private final int status;

    public OAuthException(String error, int status, String description) {
        super(description);
        this.error = error;
        this.status = status;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException("invalid_request", 400, description);
    }

    public static OAuthException invalidClient(String description) {
        return new OAuthException("invalid_client", 401, description);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException("invalid_scope", 400, description);
    }

    public static OAuthException unsupportedGrantType(String description) {
        return new OAuthException("unsupported_grant_type", 400, description);
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }
}
