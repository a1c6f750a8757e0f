package org.concilium.federation;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Which replica of the site does the once-per-site work (the key ceremony as coordinator, the
 * stalled-query and expired-lease sweeps): the one holding a session-level PostgreSQL advisory lock
 * on a connection it keeps. When that process dies its session ends and the lock is free; another
 * replica takes it within {@link #RETRY}. A node alone on its database is always the leader.
 */
@ApplicationScoped
public class SiteLeader {

    private static final Logger LOG = Logger.getLogger(SiteLeader.class);
    /** "Concilium" in ASCII: outside the int4 range of the hashtext() keys the write locks use. */
    private static final long LOCK_KEY = 0x436f6e63696c6975L;
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    Pool pool;
    @Inject
    NetworkContext context;

    private volatile SqlConnection held;
    private ScheduledExecutorService timer;

    public boolean isLeader() {
        return held != null;
    }

    void onStart(@Observes StartupEvent event) {
        if (!context.enabled()) {
            return;
        }
        check();
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "site-leader"));
        timer.scheduleWithFixedDelay(this::check, RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
        release();
    }

    /** Keeps the lock while its connection answers; otherwise tries to take it. */
    private synchronized void check() {
        if (held != null) {
            try {
                held.query("SELECT 1").execute().await().atMost(TIMEOUT);
                return;
            } catch (RuntimeException e) {
                LOG.warnf("lost the site leadership (its database session failed: %s)", e.getMessage());
                release();
            }
        }
        SqlConnection conn = null;
        try {
            conn = pool.getConnection().await().atMost(TIMEOUT);
            boolean got = conn.query("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")").execute().await().atMost(TIMEOUT)
                    .iterator().next().getBoolean(0);
            if (got) {
                held = conn;
                LOG.info("this replica is the site leader (key ceremony, query sweeps)");
                return;
            }
        } catch (RuntimeException e) {
            LOG.debugf("site leadership not checked: %s", e.getMessage());
        }
        if (conn != null) {
            conn.closeAndForget();
        }
    }

    private synchronized void release() {
        SqlConnection conn = held;
        held = null;
        if (conn != null) {
            // closing the session releases its advisory lock; a pooled connection is really closed
            // only by the pool, so unlock explicitly first
            try {
                conn.query("SELECT pg_advisory_unlock_all()").execute().await().atMost(TIMEOUT);
            } catch (RuntimeException e) {
                // the session is gone already, and its lock with it
            }
            conn.closeAndForget();
        }
    }
}
