package org.concilium.federation.query;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.concilium.store.Transactions;

/** The asynchronous network queries (Panache over {@code network_async}). Calls block; never on the event loop. */
@ApplicationScoped
public class AsyncJobRepository implements PanacheRepositoryBase<AsyncJob, String> {

    public void started(String id) {
        Transactions.inTransaction(() -> persist(AsyncJob.running(id)).replaceWithVoid());
    }

    /** Ends a job (DONE with its report, or FAILED) unless a restart aborted it already. */
    public void finished(String id, AsyncJob.State end, String reportId) {
        Transactions.inTransaction(() -> findById(id, LockModeType.PESSIMISTIC_WRITE)
                .map(job -> job != null && job.finish(end, reportId)));
    }

    public Optional<AsyncJob> job(String id) {
        return Optional.ofNullable(Transactions.inSession(() -> findById(id)));
    }

    /** At start-up: every job that was running when the node stopped ends ABORTED. */
    public int abortRunning() {
        return Transactions.inTransaction(() -> update("state = ?1, detail = ?2, updatedAt = ?3 where state = ?4",
                AsyncJob.State.ABORTED, "node restarted during the query", OffsetDateTime.now(), AsyncJob.State.RUNNING));
    }
}
