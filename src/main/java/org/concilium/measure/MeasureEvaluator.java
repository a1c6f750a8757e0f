package org.concilium.measure;

import static org.concilium.measure.MeasureEvaluationException.broken;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Supplier;
import org.concilium.measure.MeasureModel.Criteria;
import org.concilium.measure.MeasureModel.Group;
import org.concilium.measure.MeasureModel.Language;
import org.concilium.measure.MeasureModel.Population;
import org.concilium.measure.MeasureModel.PopulationType;
import org.hl7.elm.r1.FunctionDef;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.cql.engine.model.ModelResolver;
import org.opencds.cqf.fhir.cql.engine.utility.CodeExtractor;

/**
 * Evaluates a FHIR Measure over a site's data ({@code $evaluate-measure} without HTTP).
 *
 * <p>How: the Measure is checked and modelled once per version ({@link MeasureModel#of}); its CQL Library is compiled once and
 * cached ({@link CqlLibraries}); the clinical data is indexed by patient with one scan per resource
 * type the logic retrieves ({@link PatientIndex}); every patient is evaluated on a worker thread
 * with its own CQL engine ({@link SubjectEvaluator}); per-patient outcomes, already reduced by the
 * CQF set rules, are summed in one linear pass ({@link ReportTally}). Thread-safe; keep one instance.
 */
public final class MeasureEvaluator implements AutoCloseable {

    /** How a proportion score is reported when a Measure's improvementNotation is {@code decrease}. */
    public enum DecreaseScoring {
        /** Report 1 − score, as cqf-fhir-cr does (so higher is always better). The default. */
        INVERT,
        /** Report the plain score, as the base FHIR specification describes it. */
        AS_IS
    }

    /**
     * @param reporter reference to this site's Organization for MeasureReport.reporter; null to omit
     * @param decreaseScoring see {@link DecreaseScoring}
     * @param parallelism worker threads (at least 1)
     */
    public record Options(String reporter, DecreaseScoring decreaseScoring, int parallelism) {
        public Options {
            if (decreaseScoring == null) {
                decreaseScoring = DecreaseScoring.INVERT;
            }
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1");
            }
        }

        public static Options defaults() {
            return new Options(null, DecreaseScoring.INVERT, Runtime.getRuntime().availableProcessors());
        }

        public Options withReporter(String organizationReference) {
            return new Options(organizationReference, decreaseScoring, parallelism);
        }
    }

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final Options options;
    private final CqlLibraries libraries = new CqlLibraries();
    private final ModelResolver modelResolver = DecimalSecondsModelResolver.INSTANCE;
    private final CodeExtractor codeExtractor = new CodeExtractor(FHIR);
    private final ForkJoinPool pool;
    /** Built once on the constructing thread (loading it is costly) and shared by the FHIRPath engines. */
    private final IValidationSupport validationSupport;

    public MeasureEvaluator() {
        this(Options.defaults());
    }

    public MeasureEvaluator(Options options) {
        this.options = options;
        this.pool = new ForkJoinPool(options.parallelism(), workerFactory(), null, false);
        IValidationSupport support = FHIR.getValidationSupport();
        this.validationSupport = support != null ? support : new DefaultProfileValidationSupport(FHIR);
    }

    /**
     * Worker threads that load classes as this engine does. A plain ForkJoinPool worker has the
     * system class loader as its context loader; inside the packaged node (Quarkus' runner class
     * loader) HAPI then finds neither its validation support nor its cache provider (ServiceLoader
     * over the context loader) and FHIRPath or terminology calls fail on worker threads only.
     */
    private static ForkJoinPool.ForkJoinWorkerThreadFactory workerFactory() {
        ClassLoader loader = MeasureEvaluator.class.getClassLoader();
        return p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setContextClassLoader(loader);
            t.setName("measure-worker-" + t.getPoolIndex());
            return t;
        };
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        pool.shutdown();
    }

    /** Forget compiled Libraries (after a Library was changed in place under the same version). */
    public void clearCompiledLibraries() {
        libraries.clear();
    }

    /**
     * Checks a package of knowledge artifacts as evaluations would meet them, over the knowledge in
     * {@code site} (see {@link PackageChecker}); compiles on a cache of its own, so nothing of a
     * package that fails reaches this evaluator.
     */
    public PackageCheck check(List<Resource> published, ClinicalData site) {
        return check(published, site, true);
    }

    /** As {@link #check(List, ClinicalData)}; {@code valueSets} false checks the logic only. */
    public PackageCheck check(List<Resource> published, ClinicalData site, boolean valueSets) {
        return PackageChecker.check(published, site, new CqlLibraries(libraries.models()),
                new FhirPathSession(FHIR, validationSupport), valueSets);
    }

    /**
     * The checked package is stored: logic compiled against libraries it replaced is dropped, and (with
     * {@code keepCompiled}) what the check compiled becomes this evaluator's, so the first query finds it ready.
     */
    public void activate(PackageCheck check, boolean keepCompiled) {
        libraries.adopt(check.compiled, check.published, keepCompiled);
    }

    /**
     * Evaluates the command's Measure over {@code data}.
     *
     * @throws MeasureEvaluationException 400 for bad parameters, 404 for an unknown Measure or
     *     subject, 422 for a Measure that cannot be evaluated as written
     */
    public MeasureReport evaluate(EvaluateMeasureCommand command, ClinicalData data) {
        Measure measure = data.measure(command.measureRef()).orElseThrow(() -> MeasureEvaluationException.notFound(
                "Parameters.parameter.where(name='measure')", "Measure " + command.measureRef() + " not found"));
        return evaluate(measure, command, data);
    }

    /** Evaluates a Measure the caller has resolved already (the network path), as {@link #evaluate(EvaluateMeasureCommand, ClinicalData)}. */
    public MeasureReport evaluate(Measure measure, EvaluateMeasureCommand command, ClinicalData data) {
        return evaluate(measure, command, data, ContributionBounds.NONE);
    }

    /**
     * As {@link #evaluate(Measure, EvaluateMeasureCommand, ClinicalData)}, with each subject's
     * outcome clipped to {@code bounds} before it is summed (the network path under differential
     * privacy: the noise is sized for those bounds).
     */
    public MeasureReport evaluate(Measure measure, EvaluateMeasureCommand command, ClinicalData data,
            ContributionBounds bounds) {
        return evaluate(MeasureModel.of(measure), command, data, bounds);
    }

    /** As {@link #evaluate(Measure, EvaluateMeasureCommand, ClinicalData, ContributionBounds)}, for a Measure modelled already. */
    public MeasureReport evaluate(MeasureModel model, EvaluateMeasureCommand command, ClinicalData data,
            ContributionBounds bounds) {
        CqlLogic logic = null;
        Set<String> functions = new HashSet<>();
        Set<String> undefined = new HashSet<>();
        if (model.libraryRef() != null && usesCql(model)) {
            Library library = data.library(model.libraryRef()).orElseThrow(() -> broken("Measure.library[0]",
                    "Library " + model.libraryRef() + " not found on this node"));
            logic = libraries.load(library, data, "Measure.library[0]");
            functions = checkCriteria(model, logic, undefined);
        }
        List<Resource> patients = SubjectSelection.patients(command, data);

        PatientIndex index = new PatientIndex(data, modelResolver);
        ValueSetMembership valueSets = new ValueSetMembership(data);
        IndexedRetrieveProvider retrieve = new IndexedRetrieveProvider(index, valueSets, modelResolver, codeExtractor);
        Map<String, Object> parameters = logic == null ? Map.of() : logic.parameters(command.period());
        CqlLogic cqlLogic = logic;
        Set<String> fns = Set.copyOf(functions);
        Set<String> skipped = Set.copyOf(undefined);
        // one evaluator (CQL engine + FHIRPath engine) per worker thread, dropped with this evaluation
        Map<Thread, SubjectEvaluator> perThread = new ConcurrentHashMap<>();
        EvaluatedResources evaluated = command.reportType() == ReportType.SUBJECT ? new EvaluatedResources() : null;
        Supplier<SubjectEvaluator> worker = () -> perThread.computeIfAbsent(Thread.currentThread(), t -> new SubjectEvaluator(
                model, cqlLogic == null ? null : session(cqlLogic, data, retrieve, valueSets, parameters, evaluated),
                new FhirPathSession(FHIR, validationSupport), index, command.period(), fns, skipped));

        List<SubjectOutcome> outcomes = run(patients, worker);

        ReportTally tally = new ReportTally(model, command.reportType() == ReportType.SUBJECT_LIST);
        outcomes.forEach(o -> tally.add(bounds.apply(o)));
        String subjectRef = command.reportType() == ReportType.SUBJECT
                ? "Patient/" + patients.get(0).getIdElement().getIdPart()
                : command.subject();
        MeasureReport report = new MeasureReportBuilder(options).build(tally, command, subjectRef, skipped);
        if (evaluated != null) {
            report.setEvaluatedResource(evaluated.references());
        }
        DeqmProfiles.apply(report);
        return report;
    }

    private CqlSession session(CqlLogic logic, ClinicalData data, IndexedRetrieveProvider retrieve,
            ValueSetMembership valueSets, Map<String, Object> parameters, EvaluatedResources evaluated) {
        CqlSession session = logic.openSession(data, modelResolver, retrieve, valueSets, parameters);
        if (evaluated != null) {
            session.recordEvaluatedResources(evaluated);
        }
        return session;
    }

    private List<SubjectOutcome> run(List<Resource> patients, Supplier<SubjectEvaluator> workers) {
        if (patients.size() < 2 || options.parallelism() == 1) {
            List<SubjectOutcome> out = new ArrayList<>(patients.size());
            for (Resource p : patients) {
                out.add(workers.get().evaluate(p));
            }
            return out;
        }
        try {
            return pool.submit(() -> patients.parallelStream().map(p -> workers.get().evaluate(p)).toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            MeasureEvaluationException known = SubjectEvaluator.find(cause);
            if (known != null) {
                throw known;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static final Set<PopulationType> OPTIONAL = Set.of(PopulationType.DENOMINATOR_EXCLUSION,
            PopulationType.DENOMINATOR_EXCEPTION, PopulationType.NUMERATOR_EXCLUSION,
            PopulationType.MEASURE_POPULATION_EXCLUSION);

    static boolean usesCql(MeasureModel model) {
        for (Group g : model.groups()) {
            for (Population p : g.populations()) {
                if (p.criteria().language() == Language.CQL) {
                    return true;
                }
            }
            for (var s : g.stratifiers()) {
                for (var c : s.components()) {
                    if (c.criteria().language() == Language.CQL) {
                        return true;
                    }
                }
            }
        }
        return model.supplementalData().stream().anyMatch(s -> s.criteria().language() == Language.CQL);
    }

    /**
     * Every CQL criterion must name a definition; observations must be functions, populations must
     * not. An optional population (an exclusion or exception) naming a definition the Library lacks
     * is evaluated as empty and reported as a warning, as cqf-fhir-cr does; a required one is a 422.
     */
    static Set<String> checkCriteria(MeasureModel model, CqlLogic logic, Set<String> undefined) {
        Set<String> functions = new HashSet<>();
        for (Group g : model.groups()) {
            for (Population p : g.populations()) {
                Criteria c = p.criteria();
                if (c.language() != Language.CQL) {
                    continue;
                }
                if (OPTIONAL.contains(p.type()) && !logic.defines(c.expression())) {
                    undefined.add(c.expression());
                    continue;
                }
                boolean function = logic.definition(c.expression(), c.location()) instanceof FunctionDef;
                if (p.type() == PopulationType.MEASURE_OBSERVATION) {
                    if (!function) {
                        throw broken(c.location(), "measure observation '" + c.expression() + "' must be a CQL function");
                    }
                    functions.add(c.expression());
                } else if (function) {
                    throw broken(c.location(), "population criteria '" + c.expression() + "' is a function, not an expression");
                }
            }
            for (var s : g.stratifiers()) {
                for (var comp : s.components()) {
                    Criteria c = comp.criteria();
                    if (c.language() == Language.CQL
                            && logic.definition(c.expression(), c.location()) instanceof FunctionDef) {
                        if (g.booleanBasis()) {
                            throw broken(c.location(), "stratifier function '" + c.expression()
                                    + "' needs a resource population basis");
                        }
                        functions.add(c.expression());
                    }
                }
            }
        }
        for (var sde : model.supplementalData()) {
            Criteria c = sde.criteria();
            if (c.language() == Language.CQL && logic.definition(c.expression(), c.location()) instanceof FunctionDef) {
                throw broken(c.location(), "supplemental data '" + c.expression() + "' must be an expression, not a function");
            }
        }
        return functions;
    }
}
