package org.concilium.security;

/** A valid token whose scopes do not cover the interaction: 403, naming the scope that would. */
public class InsufficientScopeException extends RuntimeException {

    public InsufficientScopeException(String message) {
        super(message);
    }
}
