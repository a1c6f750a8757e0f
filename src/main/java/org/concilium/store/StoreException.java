package org.concilium.store;

/** A storage rule the request broke; the FHIR boundary turns the reason into a status code. */
public class StoreException extends RuntimeException {

    public enum Reason { NOT_FOUND, GONE, VERSION_CONFLICT, PRECONDITION_FAILED, MULTIPLE_MATCHES }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
