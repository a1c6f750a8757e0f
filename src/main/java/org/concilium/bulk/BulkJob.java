package org.concilium.bulk;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A Bulk Data job as its status URL reports it, persisted (table {@code bulk_job}, V150) so that the
 * URL still answers after the node restarts. The live progress of a running job is in memory on the
 * replica that runs it ({@link ExportJob}, {@link ImportJob}); this row holds what outlives it.
 */
@Entity
@Table(name = "bulk_job")
public class BulkJob {

    public enum Kind { EXPORT, IMPORT }

    /** RUNNING → DONE (its outputs) | FAILED (detail) | CANCELLED; a node that stops while it runs makes it FAILED. */
    public enum State { RUNNING, DONE, FAILED, CANCELLED }

    @Id
    private String id;
    @Enumerated(EnumType.STRING)
    private Kind kind;
    private String owner;
    @Column(name = "request_url")
    private String requestUrl;
    @Enumerated(EnumType.STRING)
    private State state;
    @Column(name = "transaction_time")
    private OffsetDateTime transactionTime;
    /** The manifest's output entries as a JSON array ({type, file, count}; no file for an import). */
    private String outputs;
    @Column(name = "failed_lines")
    private long failedLines;
    private String detail;
    private OffsetDateTime expires;
    /** The replica running it, under a lease it renews while the job runs (as network_async, docs/deploy.md). */
    private String replica;
    @Column(name = "lease_until")
    private OffsetDateTime leaseUntil;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;

    protected BulkJob() {
    }

    static BulkJob running(String id, Kind kind, String owner, String requestUrl, Instant transactionTime,
            String replica, Duration lease) {
        BulkJob job = new BulkJob();
        job.id = id;
        job.kind = kind;
        job.owner = owner;
        job.requestUrl = requestUrl;
        job.state = State.RUNNING;
        job.transactionTime = transactionTime.atOffset(ZoneOffset.UTC);
        job.outputs = "[]";
        job.replica = replica;
        job.updatedAt = OffsetDateTime.now();
        job.leaseUntil = job.updatedAt.plus(lease);
        return job;
    }

    /** Ends a running job; one that ended already (cancelled, or failed by a restart) keeps its end. */
    boolean end(State end, String outputs, long failedLines, String detail, Instant expires) {
        if (state != State.RUNNING) {
            return false;
        }
        this.state = end;
        this.outputs = outputs;
        this.failedLines = failedLines;
        this.detail = detail;
        this.expires = expires.atOffset(ZoneOffset.UTC);
        this.updatedAt = OffsetDateTime.now();
        return true;
    }

    void cancel() {
        state = State.CANCELLED;
        expires = OffsetDateTime.now();
        updatedAt = expires;
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public String owner() {
        return owner;
    }

    public String requestUrl() {
        return requestUrl;
    }

    public Instant transactionTime() {
        return transactionTime.toInstant();
    }

    public String outputs() {
        return outputs;
    }

    public long failedLines() {
        return failedLines;
    }

    public String detail() {
        return detail;
    }

    public Instant expires() {
        return expires == null ? null : expires.toInstant();
    }

    public String replica() {
        return replica;
    }

    /**
     * The state a client is told: a RUNNING row whose lease lapsed belongs to a replica that died
     * (its leader or its own restart will mark it FAILED; the answer does not wait for that).
     */
    public State state() {
        return state == State.RUNNING && leaseUntil.isBefore(OffsetDateTime.now()) ? State.FAILED : state;
    }

    /** Why it failed (a lapsed lease reads as the replica having stopped). */
    public String failure() {
        return state == State.RUNNING ? "the node running this job (replica " + replica + ") stopped while it ran;"
                + " kick it off again" : detail;
    }
}
