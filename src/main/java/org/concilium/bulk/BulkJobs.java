package org.concilium.bulk;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The life of every Bulk Data job, whatever its kind: recorded in {@code bulk_job} when it starts,
 * its lease renewed while this replica runs it, its end recorded with the manifest's outputs, kept
 * until {@code concilium.bulk.expiry} and then removed with its files. A job cut off by a stop is
 * <b>resumed</b>, not failed: at start-up this replica takes back the jobs it was running, and every
 * few seconds any replica takes over an export whose replica's lease lapsed (an export needs only
 * the database). An import's inputs are files on the replica that accepted it, so only that replica
 * resumes it; if it has not come back {@code concilium.bulk.import-grace} after its lease lapsed,
 * the import is FAILED with an OperationOutcome saying so. A job resumed
 * {@code concilium.bulk.max-attempts} times (one that keeps killing its node) is FAILED too.
 * How each kind resumes: {@link ExportJobs#resume}, fhir/ImportRunner (docs/search.md).
 */
@ApplicationScoped
public class BulkJobs {

    private static final Logger LOG = Logger.getLogger(BulkJobs.class);

    @Inject
    BulkJobRepository repository;
    @Inject
    BulkFileChunks chunks;
    @Inject
    Instance<BulkRunner> runners;
    @ConfigProperty(name = "concilium.data-dir")
    String dataDir;
    @ConfigProperty(name = "concilium.bulk.expiry", defaultValue = "PT1H")
    Duration expiry;
    @ConfigProperty(name = "concilium.bulk.import-grace", defaultValue = "PT15M")
    Duration importGrace;
    @ConfigProperty(name = "concilium.bulk.max-attempts", defaultValue = "3")
    int maxAttempts;

    private final AtomicInteger running = new AtomicInteger();
    private ScheduledExecutorService timer;
    private volatile Instant lastSweep = Instant.EPOCH;

    void onStart(@Observes StartupEvent event) {
        long period = Math.max(200, repository.lease().toMillis() / 3);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulk-lease");
            t.setDaemon(true);
            return t;
        });
        // after start-up, not in it: the runners' beans and the HTTP layer are up by then
        timer.schedule(this::resumeOwn, 0, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Records a job this replica starts now; its files go to {@link #dir}. */
    public BulkJob start(String id, BulkJob.Kind kind, String owner, String requestUrl, Instant transactionTime,
            String request) {
        sweep();
        BulkJob job = repository.started(id, kind, owner, requestUrl, transactionTime, request);
        running.incrementAndGet();
        return job;
    }

    /** Records a job's end (DONE or FAILED); false when it had ended already (cancelled). */
    public boolean end(String id, BulkJob.State end, String outputs, long failedLines, String detail) {
        try {
            return repository.ended(id, end, outputs, failedLines, detail, Instant.now().plus(expiry));
        } finally {
            running.decrementAndGet();
        }
    }

    /** What a replica needs to run the job again, once known (an import's inputs after its upload). */
    public void describe(String id, String request) {
        repository.described(id, request);
    }

    /** How far an import got. */
    public void checkpoint(String id, String checkpoint) {
        repository.checkpoint(id, checkpoint);
    }

    /** An export started over at a new transaction time: its earlier files go. */
    public void restart(String id, Instant transactionTime) {
        chunks.deleteAll(id);
        repository.restarted(id, transactionTime);
    }

    public BulkFileChunks files() {
        return chunks;
    }

    public Path dir(BulkJob.Kind kind, String id) {
        return BulkFiles.root(dataDir, kind).resolve(id);
    }

    /** The caller's job of that kind; another client's job, an expired or a cancelled one is as unknown as a missing one. */
    public Optional<BulkJob> find(String id, BulkJob.Kind kind, String owner) {
        sweep();
        return repository.live(id).filter(j -> j.kind() == kind && j.owner().equals(owner));
    }

    /** Cancels a running job or discards a finished one, with its files (in the database, and local ones here). */
    public void cancel(BulkJob job) {
        repository.cancelled(job.id());
        chunks.deleteAll(job.id());
        BulkFiles.deleteDir(dir(job.kind(), job.id()));
    }

    public void removeFiles(BulkJob.Kind kind, String id) {
        BulkFiles.deleteDir(dir(kind, id));
    }

    /** Removes the expired and cancelled jobs (rows, their chunks by cascade, local folders), at most once a second. */
    private void sweep() {
        Instant now = Instant.now();
        if (lastSweep.plusSeconds(1).isAfter(now)) {
            return;
        }
        lastSweep = now;
        for (String id : repository.expired()) {
            for (BulkJob.Kind kind : BulkJob.Kind.values()) {
                BulkFiles.deleteDir(dir(kind, id));
            }
            repository.remove(id);
        }
    }

    private void tick() {
        if (running.get() > 0) {
            try {
                repository.renew();
                for (BulkRunner runner : runners) {
                    java.util.Set<String> here = runner.running();
                    if (!here.isEmpty()) {
                        repository.notRunning(here).forEach(runner::stop); // cancelled through another replica
                    }
                }
            } catch (RuntimeException e) {
                LOG.debugf("bulk lease renewal skipped: %s", e.getMessage());
            }
        }
        try {
            OffsetDateTime now = OffsetDateTime.now();
            for (BulkJob job : repository.lapsed(BulkJob.Kind.EXPORT, now)) {
                repository.claim(job.id(), false).ifPresent(this::resume);
            }
            for (BulkJob job : repository.lapsed(BulkJob.Kind.IMPORT, now.minus(importGrace))) {
                repository.ended(job.id(), BulkJob.State.FAILED, "[]", 0, "the import stopped when its replica ("
                        + job.replica() + ") stopped, and that replica, which holds its input, did not come back"
                        + " within " + importGrace + "; kick it off again", Instant.now().plus(expiry));
            }
        } catch (RuntimeException e) {
            LOG.debugf("bulk take-over skipped: %s", e.getMessage());
        }
    }

    /** At start-up: the jobs this replica was running when it stopped run again; leftover folders go. */
    private void resumeOwn() {
        try {
            for (BulkJob job : repository.own()) {
                repository.claim(job.id(), true).ifPresent(this::resume);
            }
            for (BulkJob.Kind kind : BulkJob.Kind.values()) {
                removeOrphanFiles(kind);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "bulk job start-up resumption failed");
        }
    }

    private void resume(BulkJob job) {
        if (job.attempts() > maxAttempts) {
            repository.ended(job.id(), BulkJob.State.FAILED, "[]", 0, "the job was interrupted "
                    + job.attempts() + " times (its node stopped while it ran); kick it off again",
                    Instant.now().plus(expiry));
            return;
        }
        for (BulkRunner runner : runners) {
            if (runner.kind() == job.kind()) {
                LOG.infof("resuming bulk %s job %s (attempt %d)", job.kind(), job.id(), job.attempts());
                running.incrementAndGet();
                try {
                    runner.resume(job);
                } catch (RuntimeException e) {
                    end(job.id(), BulkJob.State.FAILED, "[]", 0, "the job could not be resumed: "
                            + e.getClass().getSimpleName());
                }
                return;
            }
        }
    }

    /** Folders of jobs that are neither running nor done here (an import's input and errors live there while it runs). */
    private void removeOrphanFiles(BulkJob.Kind kind) {
        Path root = BulkFiles.root(dataDir, kind);
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(d -> repository.live(d.getFileName().toString())
                    .filter(j -> j.state() == BulkJob.State.RUNNING || j.state() == BulkJob.State.DONE).isEmpty())
                    .forEach(BulkFiles::deleteDir);
        } catch (IOException e) {
            LOG.warnf("could not list %s: %s", root, e.getMessage());
        }
    }
}
