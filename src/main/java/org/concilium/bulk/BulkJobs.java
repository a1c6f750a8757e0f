package org.concilium.bulk;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * until {@code concilium.bulk.expiry} and then removed with its files. At start-up the jobs this
 * replica was running (and those of replicas whose lease lapsed) become FAILED, and files no
 * finished job owns are removed: a job cut off by a restart is not resumed, because its partial
 * output cannot be trusted (an export's later resources may have changed since its transaction
 * time; an import's lines already written would be written again as new versions).
 */
@ApplicationScoped
public class BulkJobs {

    private static final Logger LOG = Logger.getLogger(BulkJobs.class);

    @Inject
    BulkJobRepository repository;
    @ConfigProperty(name = "concilium.data-dir")
    String dataDir;
    @ConfigProperty(name = "concilium.bulk.expiry", defaultValue = "PT1H")
    Duration expiry;

    private final AtomicInteger running = new AtomicInteger();
    private ScheduledExecutorService timer;
    private volatile Instant lastSweep = Instant.EPOCH;

    void onStart(@Observes StartupEvent event) {
        try {
            int failed = repository.failOrphans();
            if (failed > 0) {
                LOG.warnf("%d bulk jobs cut off by a restart are now FAILED", failed);
            }
            for (BulkJob.Kind kind : BulkJob.Kind.values()) {
                removeOrphanFiles(kind);
            }
        } catch (RuntimeException e) {
            LOG.warnf("bulk job start-up sweep skipped: %s", e.getMessage());
        }
        long period = Math.max(200, repository.lease().toMillis() / 3);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulk-lease");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Records a job this replica starts now; its files go to {@link #dir}. */
    public BulkJob start(String id, BulkJob.Kind kind, String owner, String requestUrl, Instant transactionTime) {
        sweep();
        BulkJob job = repository.started(id, kind, owner, requestUrl, transactionTime);
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

    public Path dir(BulkJob.Kind kind, String id) {
        return BulkFiles.root(dataDir, kind).resolve(id);
    }

    /** The caller's job of that kind; another client's job, an expired or a cancelled one is as unknown as a missing one. */
    public Optional<BulkJob> find(String id, BulkJob.Kind kind, String owner) {
        sweep();
        return repository.live(id).filter(j -> j.kind() == kind && j.owner().equals(owner));
    }

    /** Cancels a running job or discards a finished one, with its files (if they are on this replica). */
    public void cancel(BulkJob job) {
        repository.cancelled(job.id());
        BulkFiles.deleteDir(dir(job.kind(), job.id()));
    }

    public void removeFiles(BulkJob.Kind kind, String id) {
        BulkFiles.deleteDir(dir(kind, id));
    }

    /** Removes the expired and cancelled jobs of this replica, at most once a second. */
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

    private void renew() {
        if (running.get() > 0) {
            try {
                repository.renew();
            } catch (RuntimeException e) {
                LOG.debugf("bulk lease renewal skipped: %s", e.getMessage());
            }
        }
    }

    /** Folders of jobs that are not (or no longer) DONE: partial output of a job a restart cut off. */
    private void removeOrphanFiles(BulkJob.Kind kind) {
        Path root = BulkFiles.root(dataDir, kind);
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(d -> repository.live(d.getFileName().toString())
                    .filter(j -> j.state() == BulkJob.State.DONE).isEmpty()).forEach(BulkFiles::deleteDir);
        } catch (IOException e) {
            LOG.warnf("could not list %s: %s", root, e.getMessage());
        }
    }
}
