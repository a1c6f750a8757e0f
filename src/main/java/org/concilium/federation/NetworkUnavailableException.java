package org.concilium.federation;

/** The network cannot answer now (no membership, key ceremony not finished): 503. */
public class NetworkUnavailableException extends RuntimeException {
    public NetworkUnavailableException(String message) {
        super(message);
    }
}
