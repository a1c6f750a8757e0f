package org.concilium.fhir;

import jakarta.enterprise.context.RequestScoped;

/**
 * A few words a resource method adds to this request's audit record (e.g. how many entries a
 * transaction held), read by {@link AccessAudit}; never request content.
 */
@RequestScoped
public class AuditNote {

    private String text;

    void set(String text) {
        this.text = text;
    }

    String get() {
        return text;
    }
}
