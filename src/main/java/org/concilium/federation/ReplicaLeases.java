package org.concilium.federation;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * The leases of the queries replicas of this site run ({@code network_query} and
 * {@code network_async}, columns {@code replica} and {@code lease_until}, V60): renewal by the
 * owner, the start-up abort of a replica's own orphans, the leader's abort of lapsed leases. Plain
 * SQL over both tables, on the database's clock (docs/deploy.md). Calls block.
 */
@ApplicationScoped
public class ReplicaLeases {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Query rows still in flight; a participant whose share is out has finished its part. */
    private static final String IN_FLIGHT = "state NOT IN ('DONE', 'ABORTED') AND NOT (role = 'PARTICIPANT'"
            + " AND state = 'SHARE_RELEASED')";
    /**
     * A lapsed lease ends the queries a process was running: the entry node's, and a participant's
     * evaluation. A participant waiting for its entry node (CONTRIBUTED, REVEALED) keeps its state in
     * the database and any replica can take the next round, so only the stalled-query sweep ends it.
     */
    private static final String LAPSED = "lease_until < now() AND NOT (role = 'PARTICIPANT' AND state IN"
            + " ('CONTRIBUTED', 'REVEALED'))";

    @Inject
    Pool pool;

    /**
     * At start-up of replica {@code self}: its own queries still in flight (it stopped while running
     * them; rows from before replicas count as its own) and every query whose lease lapsed end
     * ABORTED. Queries that live replicas of the site are running keep going. (Asynchronous jobs:
     * {@code query.AsyncJobRepository#abortRunning}.)
     */
    public int abortOrphans(String self) {
        return pool.preparedQuery("UPDATE network_query SET state = 'ABORTED', detail = 'node restarted during the query',"
                + " updated_at = now() WHERE " + IN_FLIGHT + " AND (replica IS NULL OR replica = $1 OR (" + LAPSED + "))")
                .execute(Tuple.of(self)).await().atMost(TIMEOUT).rowCount();
    }

    /** The queries and asynchronous jobs of replicas that stopped renewing their lease (they died) end ABORTED. */
    public int abortExpired() {
        pool.query("UPDATE network_async SET state = 'ABORTED', detail = 'its replica stopped during the query',"
                + " updated_at = now() WHERE state = 'RUNNING' AND lease_until < now()").execute().await().atMost(TIMEOUT);
        return pool.query("UPDATE network_query SET state = 'ABORTED', detail = 'its replica stopped during the query',"
                + " updated_at = now() WHERE " + IN_FLIGHT + " AND " + LAPSED).execute().await().atMost(TIMEOUT)
                .rowCount();
    }

    /** Extends the lease of every query and job replica {@code self} has in flight (it is alive). */
    public void renew(String self, Duration lease) {
        Tuple args = Tuple.of(self, lease.toMillis() / 1000.0);
        pool.preparedQuery("UPDATE network_query SET lease_until = now() + make_interval(secs => $2) WHERE replica = $1"
                + " AND state NOT IN ('DONE', 'ABORTED')").execute(args).await().atMost(TIMEOUT);
        pool.preparedQuery("UPDATE network_async SET lease_until = now() + make_interval(secs => $2) WHERE replica = $1"
                + " AND state = 'RUNNING'").execute(args).await().atMost(TIMEOUT);
    }
}
