package org.concilium.federation.query;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;
import org.concilium.federation.QueriesBusyException;
import org.concilium.federation.NetworkConfig;

/**
 * Bounds the network queries this node runs as entry node at once: each holds evaluation memory,
 * peer connections and a worker thread, so past the bound a querier is told to come back
 * (503 + Retry-After) instead of every query slowing down until all time out.
 */
@ApplicationScoped
public class QueryAdmission {

    private final Semaphore permits;
    private final int limit;

    @jakarta.inject.Inject
    public QueryAdmission(NetworkConfig config) {
        this.limit = Math.max(1, config.maxQueriesInFlight());
        this.permits = new Semaphore(limit);
    }

    /** A ticket for one query, to close when the query ends; refused when {@code limit} are running. */
    public Ticket admit() {
        if (!permits.tryAcquire()) {
            throw new QueriesBusyException(limit);
        }
        return new Ticket();
    }

    /** Released exactly once, however often it is closed. */
    public final class Ticket implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                permits.release();
            }
        }
    }
}
