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
 * A Bulk Data job as its status URL reports it, persisted (table {@code bulk_job}, V150, V270) so that
 * the URL still answers after the node restarts and a job cut off by a stop can be resumed. The live
 * progress of a running job is in memory on the replica that runs it ({@link ExportJob},
 * {@link ImportJob}); this row holds what outlives it: the request to run it again and, for an
 * import, how far it got.
 */
@Entity
@Table(name = "bulk_job")
public class BulkJob {

    public enum Kind { EXPORT, IMPORT }

    /** RUNNING → DONE (its outputs) | FAILED (detail) | CANCELLED; a job whose node stopped stays RUNNING and is resumed. */
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
    /** What a replica needs to run it again, as JSON (see {@link ExportRequest#toJson}, fhir/ImportRunner). */
    private String request;
    /** An import's progress: the lines committed, the counts so far, the length of its error file (JSON). */
    private String checkpoint;
    /** How many times it was resumed. */
    private int attempts;

    protected BulkJob() {
    }

    static BulkJob running(String id, Kind kind, String owner, String requestUrl, Instant transactionTime,
            String replica, Duration lease, String request) {
        BulkJob job = new BulkJob();
        job.request = request;
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

    public String request() {
        return request;
    }

    public String checkpoint() {
        return checkpoint;
    }

    public int attempts() {
        return attempts;
    }

    /** Whether the replica running it renewed its lease lately (else it stopped, and the job waits to be resumed). */
    public boolean leaseLapsed() {
        return state == State.RUNNING && leaseUntil.isBefore(OffsetDateTime.now());
    }

    public State state() {
        return state;
    }

    public String failure() {
        return detail;
    }
}
