package org.concilium.federation.query;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.concilium.federation.SiteReplica;
import org.concilium.store.Transactions;

/** The asynchronous network queries (Panache over {@code network_async}). Calls block; never on the event loop. */
@ApplicationScoped
public class AsyncJobRepository implements PanacheRepositoryBase<AsyncJob, String> {

    @Inject
    SiteReplica replica;

    public void started(String id) {
        Transactions.inTransaction(() -> persist(AsyncJob.running(id, replica.id(), replica.lease())).replaceWithVoid());
    }

    /** Ends a job (DONE with its report, or FAILED) unless a restart aborted it already. */
    public void finished(String id, AsyncJob.State end, String reportId) {
        Transactions.inTransaction(() -> findById(id, LockModeType.PESSIMISTIC_WRITE)
                .map(job -> job != null && job.finish(end, reportId)));
    }

    public Optional<AsyncJob> job(String id) {
        return Optional.ofNullable(Transactions.inSession(() -> findById(id)));
    }

    /**
     * At start-up: the jobs this replica was running when it stopped (or from before replicas) and
     * those whose replica's lease lapsed end ABORTED; jobs of live replicas of the site keep running.
     * (Lease renewal and the leader's sweep of lapsed leases: {@code federation.ReplicaLeases}.)
     */
    public int abortRunning() {
        return Transactions.inTransaction(() -> update("state = ?1, detail = ?2, updatedAt = ?3 where state = ?4"
                + " and (replica is null or replica = ?5 or leaseUntil < current_timestamp)", AsyncJob.State.ABORTED,
                "node restarted during the query", OffsetDateTime.now(), AsyncJob.State.RUNNING, replica.id()));
    }
}
