package org.concilium.bulk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.concilium.store.ExportReader;
import org.concilium.store.NdjsonCopy;
import org.concilium.store.PageCursor;
import org.concilium.store.ResourceStore;
import org.concilium.store.SearchPage;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoredResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs exports one at a time on a background thread, NDJSON files per type stored in the database
 * ({@link BulkFileChunks}), so every replica serves them. An export cut off by a stop is run again
 * from the start at a new transaction time by whichever replica takes it over ({@link #resume}).
 * The fast path ({@code concilium.bulk.fast-path}, default on) has PostgreSQL write the bodies
 * ({@link NdjsonCopy}); the row path reads them in keyset batches over the reactive client
 * ({@link ExportReader}) and is kept to measure the two side by side. Job records: {@link BulkJobs}.
 */
@ApplicationScoped
public class ExportJobs implements BulkRunner {

    private static final Logger LOG = Logger.getLogger(ExportJobs.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;
    @Inject
    DataSource dataSource;
    @Inject
    ResourceStore store;
    @Inject
    BulkJobs jobs;
    @ConfigProperty(name = "concilium.bulk.fast-path", defaultValue = "true")
    boolean fastPath;

    /** The exports this replica runs now (their progress). */
    private final Map<String, ExportJob> running = new ConcurrentHashMap<>();
    private final ExecutorService worker = BulkFiles.worker("bulk-export");
    /**
     * The fast path splits each type into {@link #PARTS} files written at once (one COPY each): the
     * database turns jsonb into text on as many cores, which is where an export spends its time.
     */
    static final int PARTS = 3;
    private final ExecutorService parallel = java.util.concurrent.Executors.newFixedThreadPool(PARTS, r -> {
        Thread t = new Thread(r, "bulk-export-part");
        t.setDaemon(true);
        return t;
    });

    void stop(@Observes ShutdownEvent e) {
        worker.shutdownNow();
        parallel.shutdownNow();
    }

    /** Records and queues the export; the job's id is its status URL's last segment. */
    public BulkJob start(ExportRequest request) {
        String id = UUID.randomUUID().toString();
        Instant transactionTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        BulkJob record = jobs.start(id, BulkJob.Kind.EXPORT, request.owner(), request.requestUrl(), transactionTime,
                request.toJson());
        ExportJob job = new ExportJob(id, request, transactionTime);
        running.put(id, job);
        worker.submit(() -> run(job));
        return record;
    }

    @Override
    public BulkJob.Kind kind() {
        return BulkJob.Kind.EXPORT;
    }

    /**
     * Runs a cut-off export again from the start, at a new transaction time (in its manifest): its
     * files restart, so the manifest is what the store held at that time, like any export's.
     * Continuing at the old time would drop the resources updated since (the export reads current
     * versions written before its transaction time), and they would not come with the client's
     * next {@code _since} either.
     */
    @Override
    public void resume(BulkJob record) {
        Instant transactionTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        jobs.restart(record.id(), transactionTime);
        ExportJob job = new ExportJob(record.id(), ExportRequest.fromJson(record.request()), transactionTime);
        running.put(job.id, job);
        worker.submit(() -> run(job));
    }

    /** The caller's export (another client's is as unknown as a missing one). */
    public Optional<BulkJob> find(String id, String owner) {
        return jobs.find(id, BulkJob.Kind.EXPORT, owner);
    }

    @Override
    public java.util.Set<String> running() {
        return java.util.Set.copyOf(running.keySet());
    }

    @Override
    public void stop(String id) {
        ExportJob live = running.get(id);
        if (live != null) {
            live.cancel();
        }
    }

    /** Where a running export is, if this replica runs it. */
    public Optional<String> progress(String id) {
        return Optional.ofNullable(running.get(id)).map(ExportJob::progress);
    }

    /** Whether a finished export has that file (any replica serves it from the database). */
    public boolean hasFile(BulkJob job, String file) {
        return job.state() == BulkJob.State.DONE && jobs.files().exists(job.id(), file);
    }

    /** Copies a finished export's file to {@code out}, one chunk at a time. */
    public void copyFile(BulkJob job, String file, OutputStream out) throws IOException {
        jobs.files().copy(job.id(), file, out);
    }

    /** Cancels a running export or deletes a finished one's files. */
    public void delete(BulkJob job) {
        ExportJob live = running.get(job.id());
        if (live != null) {
            live.cancel();
        }
        jobs.cancel(job);
    }

    private void run(ExportJob job) {
        try {
            List<Callable<Void>> parts = new ArrayList<>();
            for (String type : job.request.types()) {
                List<String> ids = matching(type, job);
                if (ids != null && ids.isEmpty() || job.cancelled()) {
                    continue;
                }
                ExportReader.Selection selection = new ExportReader.Selection(type, job.request.since(),
                        job.transactionTime, job.request.patients(), ids);
                int n = fastPath ? PARTS : 1;
                for (int part = 0; part < n; part++) {
                    String file = n == 1 ? type + ".ndjson" : type + "-" + (part + 1) + ".ndjson";
                    int p = part;
                    parts.add(() -> {
                        write(job, selection, file, p, n);
                        return null;
                    });
                }
            }
            for (Future<Void> f : parallel.invokeAll(parts)) {
                f.get();
            }
            jobs.end(job.id, BulkJob.State.DONE, outputs(job), 0, null);
        } catch (Exception e) {
            if (!job.cancelled()) {
                LOG.warnf(e, "bulk export %s failed", job.id);
            }
            jobs.end(job.id, BulkJob.State.FAILED, "[]", 0, "the export failed: " + e.getClass().getSimpleName());
        } finally {
            running.remove(job.id);
        }
        if (job.cancelled()) {
            jobs.files().deleteAll(job.id); // what the run wrote after the cancel
        }
    }

    /** One file: part {@code part} of {@code parts} of a type's selection. */
    private void write(ExportJob job, ExportReader.Selection selection, String file, int part, int parts)
            throws IOException {
        if (job.cancelled()) {
            return;
        }
        job.start(selection.type());
        long count = fastPath ? copy(job, selection, part, parts, file) : rows(job, selection, file);
        job.wrote(count);
        if (count == 0) {
            jobs.files().delete(job.id, file); // the manifest lists only non-empty files
        } else {
            job.output(new ExportJob.Output(selection.type(), file, count));
        }
    }

    private long copy(ExportJob job, ExportReader.Selection selection, int part, int parts, String file)
            throws IOException {
        try (OutputStream out = new BufferedOutputStream(jobs.files().writer(job.id, file), 1 << 16)) {
            return new NdjsonCopy(dataSource).copy(selection, part, parts, out, job::cancelled);
        }
    }

    private long rows(ExportJob job, ExportReader.Selection selection, String file) throws IOException {
        try (BufferedWriter out = new BufferedWriter(new java.io.OutputStreamWriter(jobs.files().writer(job.id, file),
                StandardCharsets.UTF_8), 1 << 16)) {
            return new ExportReader(pool).read(selection, line -> {
                try {
                    out.write(line);
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, job::cancelled);
        }
    }

    private static String outputs(ExportJob job) {
        ArrayNode out = JSON.createArrayNode();
        job.outputs().stream().sorted(java.util.Comparator.comparingInt((ExportJob.Output o) -> job.request.types()
                .indexOf(o.type())).thenComparing(ExportJob.Output::file)).forEach(o -> out.addObject().put("type", o.type()).put("file", o.file()).put("count", o.count()));
        return out.toString();
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
                Map<String, List<String>> params = new HashMap<>(filter);
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
}
