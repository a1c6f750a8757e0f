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

/** The Bulk Data jobs (Panache over {@code bulk_job}, V150, V270). Calls block; never on the event loop. */
@ApplicationScoped
public class BulkJobRepository implements PanacheRepositoryBase<BulkJob, String> {

    @Inject
    SiteReplica replica;

    /** Records a job this replica now runs. */
    public BulkJob started(String id, BulkJob.Kind kind, String owner, String requestUrl, Instant transactionTime,
            String request) {
        BulkJob job = BulkJob.running(id, kind, owner, requestUrl, transactionTime, replica.id(), replica.lease(),
                request);
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

    /** What a replica needs to run the job again (an import knows its inputs once its upload is stored). */
    public void described(String id, String request) {
        Transactions.inTransaction(() -> update("request = ?1 where id = ?2", request, id));
    }

    /** How far an import got (written after each chunk it committed). */
    public void checkpoint(String id, String checkpoint) {
        Transactions.inTransaction(() -> update("checkpoint = ?1, updatedAt = ?2 where id = ?3 and state = ?4",
                checkpoint, OffsetDateTime.now(), id, BulkJob.State.RUNNING));
    }

    /** An export run again from the start at a new transaction time. */
    public void restarted(String id, Instant transactionTime) {
        Transactions.inTransaction(() -> update("transactionTime = ?1, outputs = '[]' where id = ?2",
                transactionTime.atOffset(java.time.ZoneOffset.UTC), id));
    }

    /**
     * Takes over a RUNNING job whose replica stopped: this replica's own (left by its last run, at
     * start-up) or one whose lease lapsed. One replica wins (a conditional update); it counts the attempt.
     */
    public Optional<BulkJob> claim(String id, boolean own) {
        OffsetDateTime now = OffsetDateTime.now();
        int won = Transactions.inTransaction(() -> update("replica = ?1, leaseUntil = ?2, attempts = attempts + 1"
                + " where id = ?3 and state = ?4 and (" + (own ? "replica = ?1" : "leaseUntil < ?5") + ")",
                own ? new Object[] {replica.id(), now.plus(replica.lease()), id, BulkJob.State.RUNNING}
                        : new Object[] {replica.id(), now.plus(replica.lease()), id, BulkJob.State.RUNNING, now}));
        return won == 1 ? Optional.ofNullable(Transactions.inSession(() -> findById(id))) : Optional.empty();
    }

    /** The RUNNING jobs this replica left when it stopped (at start-up nothing runs here yet). */
    public List<BulkJob> own() {
        return Transactions.inSession(() -> list("state = ?1 and replica = ?2", BulkJob.State.RUNNING, replica.id()));
    }

    /** Of these job ids, those that no longer run (cancelled through any replica, or removed). */
    public List<String> notRunning(java.util.Collection<String> ids) {
        List<String> still = Transactions.inSession(() -> list("id in ?1 and state = ?2", ids, BulkJob.State.RUNNING))
                .stream().map(BulkJob::id).toList();
        return ids.stream().filter(id -> !still.contains(id)).toList();
    }

    /** RUNNING jobs of other replicas whose lease lapsed before {@code before}. */
    public List<BulkJob> lapsed(BulkJob.Kind kind, OffsetDateTime before) {
        return Transactions.inSession(() -> list("state = ?1 and kind = ?2 and replica <> ?3 and leaseUntil < ?4",
                BulkJob.State.RUNNING, kind, replica.id(), before));
    }

    /** Jobs whose expiry passed (their rows, chunks and local files are removed) and cancelled ones. */
    public List<String> expired() {
        List<BulkJob> old = Transactions.inSession(() -> list("expires < ?1 or state = ?2", OffsetDateTime.now(),
                BulkJob.State.CANCELLED));
        return old.stream().map(BulkJob::id).toList();
    }

    public void remove(String id) {
        Transactions.inTransaction(() -> deleteById(id));
    }

    public java.time.Duration lease() {
        return replica.lease();
    }
}
