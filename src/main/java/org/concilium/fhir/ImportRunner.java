package org.concilium.fhir;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.concilium.bulk.ImportJob;
import org.concilium.security.Caller;
import org.concilium.security.Interaction;
import org.concilium.store.FhirJson;
import org.concilium.store.ResourceStore;
import org.concilium.store.ResourceWriter;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.jboss.logging.Logger;

/**
 * Runs {@code $import} jobs on a background thread: reads NDJSON line by line, checks each line
 * as a create/update would (parse, store rules, the caller's create and update scopes), writes
 * batches of {@link #BATCH} in one transaction each under the ids the lines carry (a new version
 * when the id exists), and writes one OperationOutcome per failed line. A batch the database
 * refuses is retried line by line, so one bad line fails alone.
 */
@ApplicationScoped
public class ImportRunner {

    private static final Logger LOG = Logger.getLogger(ImportRunner.class);
    static final int BATCH = 500;

    @Inject
    ResourceStore store;
    @Inject
    ValidationSettings validation;
    @ConfigProperty(name = "concilium.data-dir")
    String dataDir;
    @ConfigProperty(name = "concilium.bulk.expiry", defaultValue = "PT1H")
    Duration expiry;

    private final Map<String, ImportJob> jobs = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bulk-import");
        t.setDaemon(true);
        return t;
    });

    /** A job whose inputs the caller will write with {@link #upload} (or names with the inputs list) before {@link #run}. */
    ImportJob create(Caller caller, String requestUrl) throws IOException {
        expire();
        String id = UUID.randomUUID().toString();
        ImportJob job = new ImportJob(id, caller.clientId(), requestUrl, Path.of(dataDir).resolve("bulk-import")
                .resolve(id), Instant.now());
        Files.createDirectories(job.dir);
        jobs.put(id, job);
        return job;
    }

    void run(ImportJob job, List<Path> inputs, Caller caller) {
        worker.submit(() -> {
            try (BufferedWriter errors = Files.newBufferedWriter(job.errors(), StandardCharsets.UTF_8)) {
                for (Path input : inputs) {
                    importFile(job, input, caller, errors);
                    if (job.cancelled()) {
                        break;
                    }
                }
                job.finish(Instant.now().plus(expiry));
            } catch (Exception e) {
                LOG.warnf(e, "bulk import %s failed", job.id);
                job.fail("the import failed: " + e.getClass().getSimpleName(), Instant.now().plus(expiry));
            }
            if (job.cancelled()) {
                delete(job.dir);
            }
        });
    }

    Optional<ImportJob> find(String id, String owner) {
        expire();
        ImportJob job = jobs.get(id);
        return job != null && job.owner.equals(owner) ? Optional.of(job) : Optional.empty();
    }

    void discard(ImportJob job) {
        job.cancel();
        jobs.remove(job.id);
        worker.submit(() -> delete(job.dir));
    }

    private void expire() {
        Instant now = Instant.now();
        jobs.values().removeIf(j -> {
            boolean old = j.expires() != null && j.expires().isBefore(now);
            if (old) {
                worker.submit(() -> delete(j.dir));
            }
            return old;
        });
    }

    private record Line(int number, Resource resource) {
    }

    private void importFile(ImportJob job, Path input, Caller caller, BufferedWriter errors) throws IOException {
        String name = input.getFileName().toString();
        List<Line> batch = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = in.readLine()) != null && !job.cancelled()) {
                number++;
                job.read(1);
                if (text.isBlank()) {
                    continue;
                }
                Resource r;
                try {
                    r = check(text, caller);
                } catch (RuntimeException e) {
                    failed(job, errors, name, number, e);
                    continue;
                }
                String key = r.fhirType() + "/" + r.getIdElement().getIdPart();
                if (!ids.add(key) || batch.size() >= BATCH) {
                    write(job, batch, errors, name);
                    batch.clear();
                    ids.clear();
                    ids.add(key);
                }
                batch.add(new Line(number, r));
            }
        }
        write(job, batch, errors, name);
    }

    /** Parses and checks one line as an update of its id (a create when it has none). */
    private Resource check(String text, Caller caller) {
        Resource r = FhirFormat.parseBody(text, "application/fhir+json", validation.policy());
        ResourceRules.requireSupportedType(r.fhirType());
        ResourceRules.requireWritable(r.fhirType());
        caller.require(r.fhirType(), Interaction.CREATE);
        caller.require(r.fhirType(), Interaction.UPDATE);
        ResourceRules.check(r, null, validation.policy());
        if (r.getIdElement().getIdPart() == null) {
            r.setId(ResourceWriter.newId());
        } else {
            ResourceRules.requireValidId(r.getIdElement().getIdPart());
        }
        return r;
    }

    private void write(ImportJob job, List<Line> batch, BufferedWriter errors, String name) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.inTransaction(w -> w.upsertAll(batch.stream().map(Line::resource).toList())).await()
                    .atMost(Duration.ofMinutes(5));
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

    private static void delete(Path dir) {
        try (var all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not remove %s: %s", dir, e.getMessage());
        }
    }
}
