package org.concilium.federation.query;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * An asynchronous network query (Prefer: respond-async) as its status URL reports it, persisted so
 * that the URL still answers after the entry node restarts (table {@code network_async}, V4).
 */
@Entity
@Table(name = "network_async")
public class AsyncJob {

    /** RUNNING → DONE (with its report) | FAILED, or ABORTED when the node stopped while it ran. */
    public enum State { RUNNING, DONE, FAILED, ABORTED }

    @Id
    private String id;
    @Enumerated(EnumType.STRING)
    private State state;
    @Column(name = "report_id")
    private String reportId;
    private String detail;
    @Column(name = "created_at", insertable = false, updatable = false)
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;
    /** The replica running it, under a lease that replica renews while it lives (V60, docs/deploy.md). */
    private String replica;
    @Column(name = "lease_until")
    private OffsetDateTime leaseUntil;

    protected AsyncJob() {
    }

    static AsyncJob running(String id, String replica, java.time.Duration lease) {
        AsyncJob job = new AsyncJob();
        job.id = id;
        job.state = State.RUNNING;
        job.updatedAt = OffsetDateTime.now();
        job.replica = replica;
        job.leaseUntil = job.updatedAt.plus(lease);
        return job;
    }

    /** Ends a running job; a job that ended already (a restart aborted it) keeps its end. */
    boolean finish(State end, String report) {
        if (state != State.RUNNING) {
            return false;
        }
        state = end;
        reportId = report;
        updatedAt = OffsetDateTime.now();
        return true;
    }

    public State state() {
        return state;
    }

    /** The report's id once DONE. */
    public String reportId() {
        return reportId;
    }

    /** Why it was ABORTED. */
    public String detail() {
        return detail;
    }

    OffsetDateTime createdAt() {
        return createdAt;
    }
}
