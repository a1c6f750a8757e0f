package org.concilium.fhir;

import jakarta.enterprise.context.RequestScoped;
import org.concilium.security.Caller;
import org.concilium.security.NotAuthenticatedException;

/** The authenticated client of the current request, set by {@link BearerAuthentication}. */
@RequestScoped
public class RequestCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The caller, or null when the request was refused before authentication succeeded. */
    Caller peek() {
        return caller;
    }

    public Caller get() {
        if (caller == null) {
            throw NotAuthenticatedException.missing();
        }
        return caller;
    }
}
