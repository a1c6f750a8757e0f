package org.concilium.bulk;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.concilium.federation.SiteReplica;
import org.concilium.store.Transactions;

/** The Bulk Data jobs (Panache over {@code bulk_job}, V150). Calls block; never on the event loop. */
@ApplicationScoped
public class BulkJobRepository implements PanacheRepositoryBase<BulkJob, String> {

    @Inject
    SiteReplica replica;

    /** Records a job this replica now runs. */
    public BulkJob started(String id, BulkJob.Kind kind, String owner, String requestUrl, Instant transactionTime) {
        BulkJob job = BulkJob.running(id, kind, owner, requestUrl, transactionTime, replica.id(), replica.lease());
        Transactions.inTransaction(() -> persist(job).replaceWithVoid());
        return job;
    }

    /** Ends a running job (DONE or FAILED) unless it ended already (cancelled, or failed by a restart). */
    public boolean ended(String id, BulkJob.State end, String outputs, long failedLines, String detail, Instant expires) {
        return Transactions.inTransaction(() -> findById(id, LockModeType.PESSIMISTIC_WRITE)
                .map(job -> job != null && job.end(end, outputs, failedLines, detail, expires)));
    }

    /** The job, unless it expired or was cancelled (then it is as unknown as a missing one). */
    public Optional<BulkJob> live(String id) {
        BulkJob job = Transactions.inSession(() -> findById(id));
        if (job == null || job.state() == BulkJob.State.CANCELLED
                || job.expires() != null && job.expires().isBefore(Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(job);
    }

    public void cancelled(String id) {
        Transactions.inTransaction(() -> findById(id, LockModeType.PESSIMISTIC_WRITE).map(job -> {
            if (job != null) {
                job.cancel();
            }
            return job;
        }));
    }

    /** Extends the lease of every job this replica runs (called while it runs them). */
    public void renew() {
        Transactions.inTransaction(() -> update("leaseUntil = ?1 where replica = ?2 and state = ?3",
                OffsetDateTime.now().plus(replica.lease()), replica.id(), BulkJob.State.RUNNING));
    }

    /**
     * At start-up: the jobs this replica ran when it stopped, and those whose replica's lease lapsed,
     * end FAILED (their partial files cannot be trusted, see docs); jobs of live replicas keep running.
     */
    public int failOrphans() {
        return Transactions.inTransaction(() -> update("state = ?1, detail = ?2, updatedAt = ?3, expires = ?4"
                + " where state = ?5 and (replica = ?6 or leaseUntil < current_timestamp)", BulkJob.State.FAILED,
                "the node restarted while this job ran; kick it off again", OffsetDateTime.now(),
                OffsetDateTime.now().plusHours(1), BulkJob.State.RUNNING, replica.id()));
    }

    /** Jobs whose expiry passed (their rows and files are removed) and cancelled ones of this replica. */
    public List<String> expired() {
        List<BulkJob> old = Transactions.inSession(() -> list("replica = ?1 and (expires < ?2 or state = ?3)",
                replica.id(), OffsetDateTime.now(), BulkJob.State.CANCELLED));
        return old.stream().map(BulkJob::id).toList();
    }

    public void remove(String id) {
        Transactions.inTransaction(() -> deleteById(id));
    }

    public java.time.Duration lease() {
        return replica.lease();
    }
}
