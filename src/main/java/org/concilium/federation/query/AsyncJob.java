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
    public String id;
    @Enumerated(EnumType.STRING)
    public State state;
    @Column(name = "report_id")
    public String reportId;
    public String detail;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    static AsyncJob running(String id) {
        AsyncJob job = new AsyncJob();
        job.id = id;
        job.state = State.RUNNING;
        job.updatedAt = OffsetDateTime.now();
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
}
