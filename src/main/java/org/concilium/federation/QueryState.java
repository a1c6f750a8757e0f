package org.concilium.federation;

/** The persisted states of a network query at one site (ARCHITECTURE.md, "Data and state"). */
public enum QueryState {
    RECEIVED, EVALUATED,
    /** Contribution computed and stored; only the commitment to it has left the site. */
    CONTRIBUTED,
    /** Every member's commitment verified and stored; the contribution has been revealed. */
    REVEALED,
    SHARE_RELEASED, DONE, ABORTED
}
