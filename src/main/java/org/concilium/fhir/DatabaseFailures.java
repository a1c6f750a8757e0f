package org.concilium.fhir;

import io.vertx.pgclient.PgException;
import java.util.Set;

/**
 * Database failures that are not the node's fault: a write that lost a race (409, retry) or a
 * database that cannot be reached (503 with Retry-After). The client never sees the driver text.
 */
final class DatabaseFailures {

    /** unique_violation, serialization_failure, deadlock_detected, lock_not_available */
    private static final Set<String> CONFLICTS = Set.of("23505", "40001", "40P01", "55P03");
    /**
     * Class 22, data exception (invalid text representation, datetime or numeric out of range, bytes
     * not in the encoding...): the database refused a value of the request for its type. The node
     * checks values before the database; one it missed is still the client's value, so a 400, not a 500.
     */
    private static final String DATA_EXCEPTION = "22";

    private DatabaseFailures() {
    }

    /** The status for this failure, or 0 when it is a genuine internal error. */
    static int status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                if (CONFLICTS.contains(state)) {
                    return 409;
                }
                if (state.startsWith(DATA_EXCEPTION)) {
                    return 400;
                }
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")) {
                    return 503;
                }
                return 0;
            }
            if (unreachable(t)) {
                return 503;
            }
        }
        return 0;
    }

    private static boolean unreachable(Throwable t) {
        String name = t.getClass().getName();
        String message = t.getMessage() == null ? "" : t.getMessage();
        return t instanceof java.net.ConnectException || t instanceof java.nio.channels.ClosedChannelException
                || name.equals("io.vertx.sqlclient.ClosedConnectionException")
                || name.equals("io.netty.channel.ConnectTimeoutException")
                || name.startsWith("io.netty.channel.AbstractChannel$AnnotatedConnectException")
                || message.contains("Connection refused") || message.contains("Failed to read any response from the server")
                || message.contains("Connection is not active") || message.contains("Timeout waiting for a connection")
                || message.contains("pool is closed");
    }
}
