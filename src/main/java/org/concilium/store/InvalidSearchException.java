package org.concilium.store;

/** A search request that cannot be understood (bad date, bad number, bad prefix). */
public class InvalidSearchException extends RuntimeException {
    public InvalidSearchException(String message) {
        super(message);
    }
}
