package org.concilium.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.concilium.bulk.BulkJob;
import org.concilium.bulk.BulkJobs;
import org.concilium.bulk.ImportJob;
import org.concilium.bulk.ImportResumption;
import org.concilium.security.Caller;
import org.concilium.security.Interaction;
import org.concilium.security.ScopeSet;
import org.concilium.store.FhirJson;
import org.concilium.store.FirstVersions;
import org.concilium.store.IndexRows;
import org.concilium.store.ResourceStore;
import org.concilium.store.ResourceWriter;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.jboss.logging.Logger;

/**
 * Runs {@code $import} jobs on a background thread: reads NDJSON in chunks of lines, checks each
 * line as a create/update would (parse, store rules, the caller's create and update scopes), writes
 * each chunk under the ids the lines carry, and writes one OperationOutcome per failed line. The
 * fast path ({@code concilium.bulk.fast-path}, default on) parses, indexes and encodes the next
 * chunks on one thread per core while one chunk is written, and writes the ids the store does not
 * hold yet by COPY, history included ({@link FirstVersions}); ids that exist always take the
 * versioned write path, so their history is kept. A batch the database refuses is retried line by
 * line, so one bad line fails alone. Chunks are written in file order, and a chunk is cut into
 * batches of distinct ids, so a file that repeats an id ends with its last line.
 */
@ApplicationScoped
public class ImportRunner implements org.concilium.bulk.BulkRunner {

    private static final Logger LOG = Logger.getLogger(ImportRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lines per chunk of the row path (one upsert per batch). */
    static final int BATCH = 500;
    /** Lines per chunk of the fast path: one COPY transaction each, so fewer round trips and commits. */
    static final int FAST_BATCH = 1000;
    /** Threads that parse, check, index and encode chunks ahead of the writer (not the common pool). */
    private static final int PARSERS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Chunks made ready ahead of the writer: at most this many wait, bounding memory. */
    private static final int CHUNKS_AHEAD = PARSERS + 1;
    /**
     * Connections a segment's new ids are copied on at once (its parts have distinct ids). One COPY runs in
     * one PostgreSQL process: with one stream the database was the import's bottleneck on two cores.
     */
    private static final int WRITERS = 2;

    @Inject
    ResourceStore store;
    @Inject
    Pool pool;
    @Inject
    javax.sql.DataSource dataSource;
    @Inject
    ValidationSettings validation;
    @Inject
    BulkJobs jobs;
    @ConfigProperty(name = "concilium.bulk.fast-path", defaultValue = "true")
    boolean fastPath;

    /** Built once: its indexer compiles every search parameter's expression (thread-safe, shared by the parsers). */
    private volatile FirstVersions firstVersions;
    private final Map<String, ImportJob> running = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r, "bulk-import"));
    private final ExecutorService parsers = Executors.newFixedThreadPool(PARSERS,
            r -> daemon(r, "bulk-import-parse"));
    private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS,
            r -> daemon(r, "bulk-import-copy"));
    /** Refreshes the planner's statistics after an import (one at a time; a request while one waits is dropped). */
    private final ThreadPoolExecutor analyzer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1), r -> daemon(r, "bulk-import-analyze"), new ThreadPoolExecutor.DiscardPolicy());

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void stop(@Observes ShutdownEvent e) {
        worker.shutdownNow();
        parsers.shutdownNow();
        writers.shutdownNow();
        analyzer.shutdownNow();
    }

    /** Records a job whose inputs the caller puts in its folder (an upload) or names, before {@link #run}. */
    ImportJob create(Caller caller, String requestUrl) throws IOException {
        String id = UUID.randomUUID().toString();
        jobs.start(id, BulkJob.Kind.IMPORT, caller.clientId(), requestUrl, Instant.now(), null);
        ImportJob job = new ImportJob(id, jobs.dir(BulkJob.Kind.IMPORT, id));
        running.put(id, job);
        try {
            Files.createDirectories(job.dir);
        } catch (IOException e) {
            abandon(job, e);
            throw e;
        }
        return job;
    }

    /** Ends a job that could not be started (its upload failed). */
    void abandon(ImportJob job, Exception cause) {
        running.remove(job.id);
        jobs.end(job.id, BulkJob.State.FAILED, "[]", 0, "the import could not start: " + cause.getClass().getSimpleName());
    }

    void run(ImportJob job, List<Path> inputs, Caller caller) {
        jobs.describe(job.id, ImportResumption.request(inputs, caller.clientId(), caller.scope().toString()));
        submit(job, inputs, caller, false);
    }

    @Override
    public BulkJob.Kind kind() {
        return BulkJob.Kind.IMPORT;
    }

    @Override
    public java.util.Set<String> running() {
        return java.util.Set.copyOf(running.keySet());
    }

    @Override
    public void stop(String id) {
        ImportJob live = running.get(id);
        if (live != null) {
            live.cancel();
        }
    }

    /**
     * Runs a cut-off import on from its last checkpoint ({@link ImportResumption}), as the client
     * that kicked it off with the scopes its token held then; its error file is cut back to that
     * checkpoint and appended to.
     */
    @Override
    public void resume(BulkJob record) {
        if (record.request() == null) { // its upload was still arriving: the client saw no 202 and sends it again
            jobs.end(record.id(), BulkJob.State.FAILED, "[]", 0, "the node stopped while it received this import's"
                    + " input; kick it off again");
            return;
        }
        ImportJob job = new ImportJob(record.id(), jobs.dir(BulkJob.Kind.IMPORT, record.id()));
        try {
            ImportResumption.Plan plan = ImportResumption.plan(record, job.dir, pool);
            job.restore(plan.linesBefore(), plan.written(), plan.failed());
            LOG.infof("import %s resumes after line %d; %d lines of the chunk then in flight were committed already",
                    job.id, plan.committed(), plan.appliedInFlight());
            Files.createDirectories(job.dir);
            try (var errors = java.nio.channels.FileChannel.open(job.errors(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE)) {
                errors.truncate(plan.errorBytes());
            }
            running.put(job.id, job);
            submit(job, plan.inputs(), new Caller(plan.client(), ScopeSet.parseLenient(plan.scope())), true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void submit(ImportJob job, List<Path> inputs, Caller caller, boolean resumed) {
        worker.submit(() -> {
            try (BufferedWriter errors = resumed ? Files.newBufferedWriter(job.errors(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)
                    : Files.newBufferedWriter(job.errors(), StandardCharsets.UTF_8)) {
                job.checkpoints((j, lines, inFlight) -> checkpoint(j, errors, lines, inFlight));
                for (Path input : inputs) {
                    importFile(job, input, caller, errors);
                    if (job.cancelled()) {
                        break;
                    }
                }
                errors.flush();
                LOG.infof("import %s: %s; %s", job.id, job.progress(), job.timings());
                if (job.failedLines() > 0 && !job.cancelled()) {
                    jobs.files().store(job.id, "errors.ndjson", job.errors()); // every replica serves it
                }
                jobs.end(job.id, BulkJob.State.DONE, outputs(job), job.failedLines(), null);
                if (!job.written().isEmpty()) {
                    analyzer.execute(this::analyze);
                }
            } catch (Exception e) {
                if (!job.cancelled()) {
                    LOG.warnf(e, "bulk import %s failed", job.id);
                }
                jobs.end(job.id, BulkJob.State.FAILED, outputs(job), job.failedLines(),
                        "the import failed: " + e.getClass().getSimpleName());
            } finally {
                running.remove(job.id);
            }
            if (job.cancelled()) {
                jobs.removeFiles(BulkJob.Kind.IMPORT, job.id); // what the run wrote after the cancel
            }
        });
    }

    /**
     * ANALYZE of the tables an import fills, as after any bulk load: until autovacuum gets to a table that
     * grew fast, the planner guesses its row counts, and a search right after a first load could pick a
     * plan ~100x slower (docs/search.md, "Row keys"). A failure only leaves that to autovacuum.
     */
    private void analyze() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE resource, idx_string, idx_token, idx_reference, idx_date, idx_number, idx_quantity,"
                    + " idx_uri, idx_composite");
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("ANALYZE after an import failed: %s", e.getMessage());
        }
    }

    /** Records how far the import got: the error file is flushed first, so its length matches the counts. */
    private void checkpoint(ImportJob job, BufferedWriter errors, long lines, int inFlight) {
        try {
            errors.flush();
            jobs.checkpoint(job.id, ImportResumption.checkpoint(lines, inFlight, job.written(), job.failedLines(),
                    Files.size(job.errors())));
        } catch (IOException | RuntimeException e) {
            LOG.debugf("import %s checkpoint skipped: %s", job.id, e.getMessage()); // a resume redoes a little more
        }
    }

    Optional<BulkJob> find(String id, String owner) {
        return jobs.find(id, BulkJob.Kind.IMPORT, owner);
    }

    Optional<String> progress(String id) {
        return Optional.ofNullable(running.get(id)).map(ImportJob::progress);
    }

    boolean hasErrors(BulkJob job) {
        return jobs.files().exists(job.id(), "errors.ndjson");
    }

    void copyErrors(BulkJob job, java.io.OutputStream out) throws IOException {
        jobs.files().copy(job.id(), "errors.ndjson", out);
    }

    void discard(BulkJob job) {
        ImportJob live = running.get(job.id());
        if (live != null) {
            live.cancel();
        }
        jobs.cancel(job);
    }

    private static String outputs(ImportJob job) {
        ArrayNode out = JSON.createArrayNode();
        job.written().forEach((type, count) -> out.addObject().put("type", type).put("count", count));
        return out.toString();
    }

    /** A checked line: its resource and the JSON it was parsed from (stored as is on the fast path, see RawBody). */
    private record Line(int number, Resource resource, String text) {
    }

    private record Failure(int number, RuntimeException error) {
    }

    /**
     * Good lines with distinct ids, in file order; on the fast path made ready for COPY in consecutive parts
     * (null if that failed).
     */
    private record Segment(List<Line> lines, List<FirstVersions.Batch> parts) {
    }

    /** One chunk of a file, checked: its good lines cut into segments of distinct ids, and its failed lines. */
    private record Parsed(List<Segment> segments, List<Failure> failures, int read) {
    }

    private void importFile(ImportJob job, Path input, Caller caller, BufferedWriter errors) throws Exception {
        String name = input.getFileName().toString();
        Deque<CompletableFuture<Parsed>> ahead = new ArrayDeque<>();
        // bytes that are not UTF-8 become U+FFFD and fail their line alone, not the job
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(input),
                StandardCharsets.UTF_8), 1 << 16)) {
            int number = 0;
            boolean more = true;
            while ((more || !ahead.isEmpty()) && !job.cancelled()) {
                int size = fastPath ? FAST_BATCH : BATCH;
                while (more && ahead.size() < (fastPath ? CHUNKS_AHEAD : 1)) {
                    List<String> texts = new ArrayList<>(size);
                    String text;
                    while (texts.size() < size && (text = in.readLine()) != null) {
                        texts.add(text);
                    }
                    more = texts.size() == size;
                    if (!texts.isEmpty()) {
                        int first = number + 1;
                        number += texts.size();
                        ahead.add(fastPath ? CompletableFuture.supplyAsync(() -> parse(job, texts, first, caller), parsers)
                                : CompletableFuture.completedFuture(parse(job, texts, first, caller)));
                    }
                }
                if (ahead.isEmpty()) {
                    break;
                }
                long waiting = System.nanoTime();
                Parsed chunk = ahead.poll().get();
                job.timed(ImportJob.Phase.WAIT, waiting);
                job.read(chunk.read());
                for (Failure f : chunk.failures()) {
                    failed(job, errors, name, f.number(), f.error());
                }
                for (Segment segment : chunk.segments()) {
                    writeSegment(job, segment, errors, name);
                }
            }
        } finally {
            ahead.forEach(f -> f.cancel(true));
        }
    }

    private Parsed parse(ImportJob job, List<String> texts, int first, Caller caller) {
        long start = System.nanoTime();
        List<Line> lines = new ArrayList<>(texts.size());
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                continue;
            }
            try {
                lines.add(new Line(first + i, check(texts.get(i), caller), texts.get(i)));
            } catch (RuntimeException e) {
                failures.add(new Failure(first + i, e));
            }
        }
        List<Segment> segments = new ArrayList<>();
        for (List<Line> distinct : distinctIds(lines)) {
            segments.add(new Segment(distinct, fastPath ? prepare(distinct) : null));
        }
        job.timed(ImportJob.Phase.PREPARE, start);
        return new Parsed(segments, failures, texts.size());
    }

    /** Cuts lines into runs of distinct ids (a repeated id starts the next run, so it becomes a new version). */
    private static List<List<Line>> distinctIds(List<Line> lines) {
        List<List<Line>> out = new ArrayList<>();
        List<Line> run = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Line l : lines) {
            if (!ids.add(key(l.resource()))) {
                out.add(run);
                run = new ArrayList<>();
                ids.clear();
                ids.add(key(l.resource()));
            }
            run.add(l);
        }
        if (!run.isEmpty()) {
            out.add(run);
        }
        return out;
    }

    /** Index rows, JSON and COPY text of a segment's parts, on a parser thread; null sends it the careful way. */
    private List<FirstVersions.Batch> prepare(List<Line> lines) {
        try {
            return firstVersions().prepare(lines.stream().map(Line::resource).toList(),
                    lines.stream().map(Line::text).toList(), WRITERS);
        } catch (RuntimeException e) {
            LOG.debugf("import segment left to the versioned path: %s", e.getMessage());
            return null;
        }
    }

    private static String key(Resource r) {
        return r.fhirType() + "/" + r.getIdElement().getIdPart();
    }

    /**
     * Writes a segment: new ids by COPY (fast path), its parts at once on connections of their own; then the
     * ids that exist, and the lines of a part the database refused, the versioned way.
     */
    private void writeSegment(ImportJob job, Segment segment, BufferedWriter errors, String name) throws IOException {
        List<Line> lines = segment.lines();
        if (!fastPath || segment.parts() == null) {
            write(job, lines, errors, name);
            return;
        }
        long start = System.nanoTime();
        List<CompletableFuture<Set<Integer>>> copies = new ArrayList<>(segment.parts().size());
        for (FirstVersions.Batch part : segment.parts()) {
            copies.add(CompletableFuture.supplyAsync(() -> firstVersions().insertNew(part), writers));
        }
        List<Line> known = new ArrayList<>();
        List<IndexRows> indexed = new ArrayList<>();
        List<Line> refused = new ArrayList<>();
        int offset = 0;
        for (int p = 0; p < copies.size(); p++) {
            FirstVersions.Batch part = segment.parts().get(p);
            Set<Integer> existing = null;
            try {
                existing = copies.get(p).join();
            } catch (java.util.concurrent.CompletionException e) {
                // created meanwhile, or a line the database refuses: the careful way
            }
            for (int i = 0; i < part.size(); i++) {
                Line line = lines.get(offset + i);
                if (existing == null) {
                    refused.add(line);
                } else if (existing.contains(i)) {
                    known.add(line);
                    indexed.add(part.index(i));
                } else {
                    job.wrote(line.resource().fhirType());
                }
            }
            offset += part.size();
        }
        job.timed(ImportJob.Phase.COPY, start);
        if (!known.isEmpty()) {
            known = update(job, known, indexed);
        }
        write(job, known, errors, name);
        write(job, refused, errors, name);
    }

    /**
     * New versions of ids the store holds, with the index rows the parser threads worked out, in
     * {@link #WRITERS} parts of consecutive lines written at once, each in its own transaction (the ids
     * are distinct, so the parts never wait on each other's locks). As for the COPY parts, the commits
     * do not wait for the WAL's fsync: the job's next checkpoint does. Counts the lines written and
     * returns those of the parts the database refused, for the careful way, which isolates the line(s) at fault.
     */
    private List<Line> update(ImportJob job, List<Line> lines, List<IndexRows> indexed) {
        long start = System.nanoTime();
        try {
            int parts = Math.min(WRITERS, lines.size());
            List<Uni<List<Line>>> writes = new ArrayList<>(parts);
            for (int p = 0; p < parts; p++) {
                List<Line> part = lines.subList(lines.size() * p / parts, lines.size() * (p + 1) / parts);
                List<IndexRows> rows = indexed.subList(lines.size() * p / parts, lines.size() * (p + 1) / parts);
                // the lines as sent become the stored JSON with the new version (RawBody), as for creates
                writes.add(store.inTransactionWithoutFsyncWait(w -> w.upsertAll(part.stream().map(Line::resource)
                        .toList(), rows, part.stream().map(Line::text).toList())).map(x -> List.<Line>of())
                        .onFailure().recoverWithItem(part));
            }
            List<Line> refused = new ArrayList<>();
            List<List<Line>> results = Uni.join().all(writes).andFailFast().await().atMost(Duration.ofMinutes(5));
            for (int p = 0; p < parts; p++) {
                List<Line> part = lines.subList(lines.size() * p / parts, lines.size() * (p + 1) / parts);
                if (results.get(p).isEmpty()) {
                    part.forEach(l -> job.wrote(l.resource().fhirType()));
                } else {
                    refused.addAll(part);
                }
            }
            return refused;
        } catch (RuntimeException e) {
            return lines; // timed out: the careful way writes them (a part that did commit gets one more version)
        } finally {
            job.timed(ImportJob.Phase.VERSIONED, start);
        }
    }

    private FirstVersions firstVersions() {
        FirstVersions f = firstVersions;
        if (f == null) {
            synchronized (this) {
                if (firstVersions == null) {
                    firstVersions = new FirstVersions(dataSource);
                }
                f = firstVersions;
            }
        }
        return f;
    }

    /** Parses and checks one line as an update of its id (a create when it has none). */
    private Resource check(String text, Caller caller) {
        Resource r = FhirFormat.parseBody(text, "application/fhir+json", validation.policy());
        ResourceRules.requireSupportedType(r.fhirType());
        ResourceRules.requireWritable(r.fhirType());
        caller.require(r.fhirType(), Interaction.CREATE);
        caller.require(r.fhirType(), Interaction.UPDATE);
        ResourceRules.requireStorable(r, validation.policy()); // an import reports failures, not warnings
        if (r.getIdElement().getIdPart() == null) {
            r.setId(ResourceWriter.newId());
        } else {
            ResourceRules.requireValidId(r.getIdElement().getIdPart());
        }
        return r;
    }

    /** The versioned write path: one transaction per batch, a new version where the id exists. */
    private void write(ImportJob job, List<Line> batch, BufferedWriter errors, String name) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            store.inTransaction(w -> w.upsertAll(batch.stream().map(Line::resource).toList())).await()
                    .atMost(Duration.ofMinutes(5));
            job.timed(ImportJob.Phase.VERSIONED, start);
            batch.forEach(l -> job.wrote(l.resource().fhirType()));
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                failed(job, errors, name, batch.get(0).number(), e);
                return;
            }
            for (Line l : batch) { // isolate the line(s) the database refuses
                write(job, List.of(l), errors, name);
            }
        }
    }

    private static void failed(ImportJob job, BufferedWriter errors, String name, int line, RuntimeException e)
            throws IOException {
        job.failed();
        int status = e instanceof FhirException f ? f.status() : e instanceof org.concilium.security.InsufficientScopeException
                ? 403 : 500;
        String message = e instanceof FhirException || e instanceof org.concilium.security.InsufficientScopeException
                ? e.getMessage() : "could not be stored (" + e.getClass().getSimpleName() + ")";
        OperationOutcome oo = OperationOutcomes.error(status == 403 ? OperationOutcome.IssueType.FORBIDDEN
                : status >= 500 ? OperationOutcome.IssueType.EXCEPTION : OperationOutcome.IssueType.INVALID,
                name + " line " + line + ": " + message, name + "#" + line, UUID.randomUUID().toString());
        errors.write(FhirJson.encode(oo));
        errors.write('\n');
    }
}
