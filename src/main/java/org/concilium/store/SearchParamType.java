package org.concilium.store;

/** The kinds of search parameter this node indexes; each maps to one storage column. */
public enum SearchParamType {
    /** resource id column */
    ID,
    /** last_updated column */
    LAST_UPDATED,
    /** subject column ('Patient/x') */
    REFERENCE,
    /** tokens array ('name=system|code') */
    TOKEN,
    /** date_lo/date_hi range */
    DATE
}
