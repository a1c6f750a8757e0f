package org.concilium.federation;

/** This node already runs as many network queries as it may; the querier should retry later. */
public class QueriesBusyException extends RuntimeException {

    /** Seconds a querier should wait: a typical query takes a few seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;

    public QueriesBusyException(int limit) {
        super("this node is running its limit of " + limit + " network queries; retry in " + RETRY_AFTER_SECONDS
                + " seconds");
    }
}
