package org.concilium.bulk;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.concilium.store.ExportReader;
import org.concilium.store.PageCursor;
import org.concilium.store.ResourceStore;
import org.concilium.store.SearchPage;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoredResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs exports one at a time on a background thread and keeps finished ones until they expire
 * ({@code concilium.bulk.expiry}). Jobs live in memory: a restart forgets them (their files are
 * removed at start-up), and a client kicks off again.
 */
@ApplicationScoped
public class ExportJobs {

    private static final Logger LOG = Logger.getLogger(ExportJobs.class);

    @Inject
    Pool pool;
    @Inject
    ResourceStore store;
    @ConfigProperty(name = "concilium.data-dir")
    String dataDir;
    @ConfigProperty(name = "concilium.bulk.expiry", defaultValue = "PT1H")
    Duration expiry;

    private final Map<String, ExportJob> jobs = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bulk-export");
        t.setDaemon(true);
        return t;
    });

    private Path root() {
        return Path.of(dataDir).resolve("bulk-export");
    }

    void stop(@Observes ShutdownEvent e) {
        worker.shutdownNow();
    }

    /** Queues the export; the job's id is its status URL's last segment. */
    public ExportJob start(ExportRequest request) {
        expire();
        String id = UUID.randomUUID().toString();
        ExportJob job = new ExportJob(id, request, root().resolve(id), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        jobs.put(id, job);
        worker.submit(() -> run(job));
        return job;
    }

    /** The caller's job (another client's job is as unknown as a missing one). */
    public Optional<ExportJob> find(String id, String owner) {
        expire();
        ExportJob job = jobs.get(id);
        return job != null && job.request.owner().equals(owner) ? Optional.of(job) : Optional.empty();
    }

    /** Cancels a running job or deletes a finished one's files. */
    public void delete(ExportJob job) {
        job.cancel();
        jobs.remove(job.id);
        worker.submit(() -> deleteDir(job.dir));
    }

    private void expire() {
        Instant now = Instant.now();
        jobs.values().removeIf(j -> {
            if (j.expires() != null && j.expires().isBefore(now)) {
                worker.submit(() -> deleteDir(j.dir));
                return true;
            }
            return false;
        });
    }

    private void run(ExportJob job) {
        if (job.cancelled()) {
            return;
        }
        try {
            Files.createDirectories(job.dir);
            ExportReader reader = new ExportReader(pool);
            for (String type : job.request.types()) {
                if (job.cancelled()) {
                    break;
                }
                job.start(type);
                List<String> ids = matching(type, job);
                if (ids != null && ids.isEmpty()) {
                    continue;
                }
                String file = type + ".ndjson";
                long count;
                try (BufferedWriter out = Files.newBufferedWriter(job.dir.resolve(file), StandardCharsets.UTF_8)) {
                    count = reader.read(new ExportReader.Selection(type, job.request.since(), job.transactionTime,
                            job.request.patients(), ids), line -> {
                                try {
                                    out.write(line);
                                    out.write('\n');
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                                job.wrote();
                            }, job::cancelled);
                }
                if (count == 0) {
                    Files.deleteIfExists(job.dir.resolve(file)); // the manifest lists only non-empty files
                } else {
                    job.output(new ExportJob.Output(type, file, count));
                }
            }
            job.finish(Instant.now().plus(expiry));
        } catch (Exception e) {
            LOG.warnf(e, "bulk export %s failed", job.id);
            job.fail("the export failed: " + e.getClass().getSimpleName(), Instant.now().plus(expiry));
        }
        if (job.cancelled()) {
            deleteDir(job.dir);
        }
    }

    /** The ids of {@code type} some _typeFilter query of the job matches, or null when the type has none. */
    private List<String> matching(String type, ExportJob job) {
        List<Map<String, List<String>>> filters = job.request.typeFilters().get(type);
        if (filters == null || filters.isEmpty()) {
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Map<String, List<String>> filter : filters) {
            PageCursor cursor = null;
            do {
                Map<String, List<String>> params = new java.util.HashMap<>(filter);
                params.put("_count", List.of("1000"));
                if (cursor != null) {
                    params.put("_cursor", List.of(cursor.encode()));
                }
                SearchPage page = store.search(SearchQuery.parse(type, params, 1000, 1000)).await()
                        .atMost(Duration.ofMinutes(5));
                page.matches().stream().map(StoredResource::id).forEach(ids::add);
                cursor = page.next();
            } while (cursor != null && !job.cancelled());
        }
        return List.copyOf(ids);
    }

    private static void deleteDir(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not remove %s: %s", dir, e.getMessage());
        }
    }

    /** Files of an earlier run are orphans: their jobs were in memory. */
    void clean(@Observes io.quarkus.runtime.StartupEvent e) {
        deleteDir(root());
    }
}
