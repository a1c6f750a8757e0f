package org.concilium.measure;

import static org.concilium.measure.MeasureEvaluationException.broken;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.cql.engine.model.ModelResolver;
import org.opencds.cqf.fhir.cql.engine.utility.CodeExtractor;

/**
 * Population reports in bounded memory: patients arrive in batches ({@link PatientBatches}); a reader
 * thread fetches batch k+1 while the workers parse and evaluate batch k; each patient's outcome goes
 * into the {@link ReportTally} and is dropped, so memory holds two batches and the tallies whatever
 * the population size. Same engine as {@link MeasureEvaluator} (same {@link SubjectEvaluator}, set
 * rules and report builder), so the totals are the same.
 *
 * <p>Workers are our own platform threads carrying the creating thread's class loader: HAPI's cache
 * provider (a ServiceLoader lookup) is not visible from the common fork-join pool under Quarkus.
 * Thread-safe; keep one instance and {@link #close()} it.
 */
public final class StreamingMeasureEvaluator implements AutoCloseable {

    /**
     * @param report reporter and decrease-scoring of the reports
     * @param batchSize patients per batch (memory is about two batches of patients with their resources)
     * @param parallelism worker threads
     */
    public record Options(MeasureEvaluator.Options report, int batchSize, int parallelism) {
        public Options {
            if (batchSize < 1 || parallelism < 1) {
                throw new IllegalArgumentException("batchSize and parallelism must be at least 1");
            }
        }

        public static Options defaults() {
            MeasureEvaluator.Options report = MeasureEvaluator.Options.defaults();
            return new Options(report, 2_000, report.parallelism());
        }

        public Options withBatchSize(int patients) {
            return new Options(report, patients, parallelism);
        }
    }

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final Options options;
    private final CqlLibraries libraries = new CqlLibraries();
    private final ModelResolver modelResolver = DecimalSecondsModelResolver.INSTANCE;
    private final CodeExtractor codeExtractor = new CodeExtractor(FHIR);
    // FHIRPath needs structure definitions; one support per evaluator, shared by its workers
    private final IValidationSupport validationSupport = new DefaultProfileValidationSupport(FHIR);
    private final ExecutorService workers;
    private final ExecutorService reader;
    private final java.util.concurrent.atomic.AtomicLong refetched = new java.util.concurrent.atomic.AtomicLong();

    public StreamingMeasureEvaluator(Options options) {
        this.options = options;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        this.workers = Executors.newFixedThreadPool(options.parallelism(), threads("concilium-eval-", loader));
        this.reader = Executors.newSingleThreadExecutor(threads("concilium-eval-reader-", loader));
    }

    @Override
    public void close() {
        workers.shutdownNow();
        reader.shutdownNow();
    }

    /**
     * A population report over every patient of the source.
     *
     * @throws IllegalArgumentException for a subject, practitioner or a subject-level report type (use
     *     {@link MeasureEvaluator}: those reports are about few patients)
     * @throws MeasureEvaluationException as {@link MeasureEvaluator#evaluate}
     */
    public MeasureReport evaluate(EvaluateMeasureCommand command, PatientBatches source) {
        if (command.subject() != null || command.practitioner() != null || command.reportType() != ReportType.POPULATION) {
            throw new IllegalArgumentException("streaming evaluation makes population reports over all patients only");
        }
        ClinicalData site = source.knowledge();
        Measure measure = site.measure(command.measureRef()).orElseThrow(() -> MeasureEvaluationException.notFound(
                "Parameters.parameter.where(name='measure')", "Measure " + command.measureRef() + " not found"));
        MeasureModel model = MeasureModel.of(measure);
        CqlLogic logic = null;
        Set<String> functions = Set.of();
        Set<String> undefined = new HashSet<>();
        if (model.libraryRef() != null && MeasureEvaluator.usesCql(model)) {
            Library library = site.library(model.libraryRef()).orElseThrow(() -> broken("Measure.library[0]",
                    "Library " + model.libraryRef() + " not found on this node"));
            logic = libraries.load(library, site, "Measure.library[0]");
            functions = Set.copyOf(MeasureEvaluator.checkCriteria(model, logic, undefined));
        }
        Evaluation run = new Evaluation(command, source, model, logic, functions, Set.copyOf(undefined),
                new ValueSetMembership(site), logic == null ? Map.of() : logic.parameters(command.period()));
        ReportTally tally = new ReportTally(model, false);
        RetrieveNeeds requirements = new RetrieveNeeds();
        CompletableFuture<Fetched> next = fetch(source, "", requirements);
        while (true) {
            Fetched fetched = join(next);
            if (fetched.batch().isEmpty()) {
                break;
            }
            next = fetch(source, fetched.batch().lastId(), requirements);
            List<SubjectOutcome> outcomes = run.batch(fetched, requirements);
            while (outcomes == null) {
                // a retrieve needed more of a type than was fetched: fetch again for what is known now
                Map<String, RetrieveNeeds.Need> needs = requirements.snapshot();
                Map<String, List<String>> json = new HashMap<>();
                needs.forEach((type, need) -> json.put(type, source.about(type, fetched.batch().patientIds(), need)));
                PatientBatches.Batch b = fetched.batch();
                outcomes = run.batch(new Fetched(new PatientBatches.Batch(b.patientIds(), b.patientJson(), json), needs),
                        requirements);
                refetched.incrementAndGet();
            }
            for (SubjectOutcome outcome : outcomes) {
                tally.add(outcome);
            }
        }
        return new MeasureReportBuilder(options.report()).build(tally, command, null, run.undefined);
    }

    /** A batch and the needs its resources were fetched for. */
    private record Fetched(PatientBatches.Batch batch, Map<String, RetrieveNeeds.Need> needs) {
    }

    /** The next batch, fetched on the reader thread for the requirements known now. */
    private CompletableFuture<Fetched> fetch(PatientBatches source, String afterId, RetrieveNeeds requirements) {
        Map<String, RetrieveNeeds.Need> needs = requirements.snapshot();
        return CompletableFuture.supplyAsync(() -> new Fetched(source.next(afterId, options.batchSize(), needs), needs),
                reader);
    }

    /** Batches evaluated a second time because their data was fetched for narrower requirements (diagnostics). */
    public long refetchedBatches() {
        return refetched.get();
    }

    /** What stays fixed during one evaluation. */
    private final class Evaluation {
        final EvaluateMeasureCommand command;
        final PatientBatches source;
        final MeasureModel model;
        final CqlLogic logic;
        final Set<String> functions;
        final Set<String> undefined;
        final ValueSetMembership valueSets;
        final Map<String, Object> parameters;
        final Map<String, RetrieveNeeds.Need> valueSetNeeds = new java.util.concurrent.ConcurrentHashMap<>();
        /**
         * One CQL session and FHIRPath engine per worker for the whole evaluation, as on the in-memory
         * path (a session per chunk of every batch cost a library manager, an engine and cold caches
         * each time); the sessions retrieve through {@link #current}, the batch being evaluated.
         */
        final Map<Thread, CqlSession> sessions = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<Thread, FhirPathSession> fhirPaths = new java.util.concurrent.ConcurrentHashMap<>();
        volatile IndexedRetrieveProvider current;

        Evaluation(EvaluateMeasureCommand command, PatientBatches source, MeasureModel model, CqlLogic logic,
                Set<String> functions, Set<String> undefined, ValueSetMembership valueSets, Map<String, Object> parameters) {
            this.command = command;
            this.source = source;
            this.model = model;
            this.logic = logic;
            this.functions = functions;
            this.undefined = undefined;
            this.valueSets = valueSets;
            this.parameters = parameters;
        }

        /**
         * Parses the batch on the workers, then evaluates its patients on them; null when a retrieve
         * needed more than the batch was fetched for (the requirements are widened: fetch again).
         */
        List<SubjectOutcome> batch(Fetched fetched, RetrieveNeeds requirements) {
            PatientBatches.Batch batch = fetched.batch();
            Map<String, Resource> patients = new LinkedHashMap<>();
            parse(batch.patientJson()).forEach(p -> patients.put(p.getIdElement().getIdPart(), p));
            Map<String, List<Resource>> preloaded = new HashMap<>();
            batch.json().forEach((type, json) -> preloaded.put(type, parse(json)));
            Map<String, RetrieveNeeds.Need> fetchedFor = new HashMap<>(fetched.needs());
            fetchedFor.keySet().retainAll(preloaded.keySet());
            BatchClinicalData data = new BatchClinicalData(source.knowledge(), patients, preloaded, fetchedFor,
                    (type, need) -> parse(source.about(type, batch.patientIds(), need)), modelResolver, requirements);
            PatientIndex index = new PatientIndex(data, modelResolver);
            IndexedRetrieveProvider retrieve = new IndexedRetrieveProvider(index, valueSets, modelResolver, codeExtractor,
                    valueSetNeeds);
            List<Resource> all = List.copyOf(patients.values());
            current = retrieve;
            List<Callable<List<SubjectOutcome>>> tasks = new ArrayList<>();
            for (List<Resource> chunk : chunks(all, options.parallelism() * 2)) {
                tasks.add(() -> {
                    Thread worker = Thread.currentThread();
                    SubjectEvaluator evaluator = new SubjectEvaluator(model,
                            logic == null ? null : sessions.computeIfAbsent(worker, t -> logic.openSession(source.knowledge(),
                                    modelResolver, (context, contextPath, contextValue, dataType, templateId, codePath,
                                            codes, valueSet, datePath, dateLow, dateHigh, dateRange) -> current.retrieve(
                                            context, contextPath, contextValue, dataType, templateId, codePath, codes,
                                            valueSet, datePath, dateLow, dateHigh, dateRange), valueSets, parameters)),
                            fhirPaths.computeIfAbsent(worker, t -> new FhirPathSession(FHIR, validationSupport)), index,
                            command.period(), functions, undefined);
                    List<SubjectOutcome> out = new ArrayList<>(chunk.size());
                    for (Resource p : chunk) {
                        out.add(evaluator.evaluate(p));
                    }
                    return out;
                });
            }
            List<SubjectOutcome> outcomes = new ArrayList<>(all.size());
            for (List<SubjectOutcome> part : invokeAll(tasks)) {
                outcomes.addAll(part);
            }
            if (data.incomplete()) {
                // the batch is evaluated again for the same patients: no session may keep a cached value
                sessions.clear();
                return null;
            }
            return outcomes;
        }
    }

    /** JSON to resources, in parallel on the workers; order kept. */
    private List<Resource> parse(List<String> json) {
        if (json.size() < 64) {
            return json.stream().map(j -> FhirJson.parse(Resource.class, j)).toList();
        }
        List<Callable<List<Resource>>> tasks = new ArrayList<>();
        for (List<String> chunk : chunks(json, options.parallelism())) {
            tasks.add(() -> chunk.stream().map(j -> FhirJson.parse(Resource.class, j)).toList());
        }
        List<Resource> out = new ArrayList<>(json.size());
        invokeAll(tasks).forEach(out::addAll);
        return out;
    }

    /** Runs the tasks on the workers, or inline when already on a worker (a type fetched mid-batch). */
    private <T> List<T> invokeAll(List<Callable<T>> tasks) {
        List<T> out = new ArrayList<>(tasks.size());
        try {
            if (Thread.currentThread().getName().startsWith("concilium-eval-")) {
                for (Callable<T> t : tasks) {
                    out.add(t.call());
                }
                return out;
            }
            for (Future<T> f : workers.invokeAll(tasks)) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw unwrap(e.getCause());
        }
    }

    private static RuntimeException unwrap(Throwable cause) {
        MeasureEvaluationException known = SubjectEvaluator.find(cause);
        if (known != null) {
            return known;
        }
        return cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    }

    private static <T> List<List<T>> chunks(List<T> items, int parts) {
        List<List<T>> out = new ArrayList<>();
        int size = Math.max(1, (items.size() + parts - 1) / parts);
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix, ClassLoader loader) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        };
    }
}
