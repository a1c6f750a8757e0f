package org.concilium.store;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one way blocking code (the protocol runs on worker threads) reaches the Panache
 * repositories. Hibernate Reactive keeps its session on a Vert.x context, so the work is run on a
 * fresh duplicated context and this thread waits for it; called on an event-loop thread it throws
 * (never block the event loop). No common fork-join pool is involved (its threads do not see the
 * application's class loader).
 */
public final class Transactions {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Transactions() {
    }

    /** Runs {@code work} in one transaction (committed when its Uni succeeds, rolled back when it fails). */
    public static <T> T inTransaction(Supplier<Uni<T>> work) {
        return await(() -> Panache.withTransaction(work));
    }

    /** Runs {@code work} in a session without a transaction of its own (single reads). */
    public static <T> T inSession(Supplier<Uni<T>> work) {
        return await(() -> Panache.withSession(work));
    }

    /**
     * Whether {@code failure} is PostgreSQL refusing a duplicate under the named unique constraint,
     * as the reactive client reports it or as Hibernate converts it.
     */
    public static boolean isUniqueViolation(Throwable failure, String constraint) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())
                    || t instanceof org.hibernate.exception.ConstraintViolationException cv && "23505".equals(cv.getSQLState())) {
                return t.getMessage() != null && t.getMessage().contains(constraint);
            }
        }
        return false;
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> work.get().ifNoItem().after(TIMEOUT).fail());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("database call failed: " + t.getMessage(), t);
        }
    }
}
