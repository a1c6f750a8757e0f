package org.concilium.federation;

/** The persisted states of a network query at one site (ARCHITECTURE.md, "Data and state"). */
public enum QueryState { RECEIVED, EVALUATED, CONTRIBUTED, SHARE_RELEASED, DONE, ABORTED }
