package org.concilium.store;

import java.util.Locale;

/** The FHIR search parameter types this node indexes; each (but composite) has its own index table. */
public enum SearchParamType {
    NUMBER, DATE, STRING, TOKEN, REFERENCE, QUANTITY, URI, COMPOSITE;

    /** The FHIR code ("number", "date", ...). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
