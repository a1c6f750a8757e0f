package org.concilium.federation.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.junit.jupiter.api.Test;

/** The asynchronous query status on the real database, through Hibernate Reactive (Panache). */
@QuarkusTest
class AsyncJobRepositoryTest extends FhirTestBase {

    @Inject
    AsyncJobRepository jobs;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void aJobRunsAndEndsWithItsReport() {
        String id = UUID.randomUUID().toString();
        jobs.started(id);
        assertThat(jobs.job(id).orElseThrow().state()).isEqualTo(AsyncJob.State.RUNNING);
        jobs.finished(id, AsyncJob.State.DONE, "report-1");
        AsyncJob done = jobs.job(id).orElseThrow();
        assertThat(done.state()).isEqualTo(AsyncJob.State.DONE);
        assertThat(done.reportId()).isEqualTo("report-1");
        assertThat(done.createdAt()).as("the database's default").isNotNull();
    }

    @Test
    void aRestartAbortsWhatRanAndALateEndDoesNotOverwriteIt() {
        String id = UUID.randomUUID().toString();
        jobs.started(id);
        assertThat(jobs.abortRunning()).isGreaterThanOrEqualTo(1);
        jobs.finished(id, AsyncJob.State.DONE, "late");
        AsyncJob aborted = jobs.job(id).orElseThrow();
        assertThat(aborted.state()).isEqualTo(AsyncJob.State.ABORTED);
        assertThat(aborted.detail()).contains("restarted");
        assertThat(aborted.reportId()).isNull();
    }

    @Test
    void aStartingReplicaLeavesTheJobsOfLiveReplicasRunning() {
        String live = UUID.randomUUID().toString();
        String dead = UUID.randomUUID().toString();
        jobs.started(live);
        jobs.started(dead);
        lease(live, "another-replica", "now() + interval '1 minute'");
        lease(dead, "a-dead-replica", "now() - interval '1 second'");
        jobs.abortRunning();
        assertThat(jobs.job(live).orElseThrow().state()).isEqualTo(AsyncJob.State.RUNNING);
        assertThat(jobs.job(dead).orElseThrow().state()).isEqualTo(AsyncJob.State.ABORTED);
    }

    private void lease(String id, String replica, String until) {
        pool.preparedQuery("UPDATE network_async SET replica = $2, lease_until = " + until + " WHERE id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(id, replica)).await().indefinitely();
    }

    @Test
    void anUnknownJobIsEmpty() {
        assertThat(jobs.job("no-such-" + UUID.randomUUID())).isEmpty();
    }
}
