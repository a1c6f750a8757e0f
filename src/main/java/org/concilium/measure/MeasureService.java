package org.concilium.measure;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.concilium.store.ResourceStore;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;

/**
 * Evaluates Measures over this site's stored data, off the event loop. A plain class: the node
 * makes the one instance it injects in {@code node/MeasureEngineProducer}.
 */
public class MeasureService {

    private final ParsedResourceCache cache;
    private final MeasureEvaluator evaluator;

    /** {@code reporter}: the reference every report names as its reporter, e.g. {@code Organization/site-a}. */
    public MeasureService(ResourceStore store, String reporter) {
        this.cache = new ParsedResourceCache(store);
        this.evaluator = new MeasureEvaluator(MeasureEvaluator.Options.defaults().withReporter(reporter));
    }

    public Uni<MeasureReport> evaluate(EvaluateMeasureCommand command) {
        return Uni.createFrom().item(() -> evaluateNow(command)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Blocking: for callers already on a worker thread. */
    public MeasureReport evaluateNow(EvaluateMeasureCommand command) {
        return evaluator.evaluate(command, new StoredClinicalData(cache));
    }

    /**
     * Blocking: a summary of a Measure already resolved and modelled (the network path: no second
     * look-up by its canonical, no second parse), each subject clipped to {@code bounds}.
     */
    public MeasureReport summary(MeasureModel model, String periodStart, String periodEnd, ContributionBounds bounds) {
        EvaluateMeasureCommand command = EvaluateMeasureCommand.of(model.reference(), periodStart, periodEnd,
                ReportType.POPULATION.code(), null, null, null);
        return evaluator.evaluate(model, command, new StoredClinicalData(cache), bounds);
    }

    /** Blocking: one consistent view of the store for one operation (from a worker thread). */
    /** A stored ValueSet, expanded through terminology/ ({@link ValueSetMembership#expanded}); blocking. */
    public java.util.Optional<org.hl7.fhir.r4.model.ValueSet> expandedValueSet(String canonical) {
        return ValueSetMembership.expanded(new StoredClinicalData(cache), canonical);
    }

    public ClinicalData storedData() {
        return new StoredClinicalData(cache);
    }

    /** Blocking: checks a package before publication against this site's stored knowledge ({@link PackageCheck}). */
    public PackageCheck checkPublication(java.util.List<org.hl7.fhir.r4.model.Resource> published) {
        return evaluator.check(published, new StoredClinicalData(cache));
    }

    /**
     * Blocking: the problems of one Library's CQL compiled over this site's stored libraries (what
     * ingest reports for a Library; value sets are not checked there, as terminology is not at ingest).
     */
    public java.util.List<PackageCheck.Problem> compileProblems(org.hl7.fhir.r4.model.Library library) {
        return evaluator.check(java.util.List.of(library.copy()), new StoredClinicalData(cache), false).problems();
    }

    /**
     * After the checked package is stored: the evaluator takes over its compiled logic ({@code keepCompiled}
     * false: it only drops what the package replaced; the before/after bench's cold variant).
     */
    public void activatePublication(PackageCheck check, boolean keepCompiled) {
        evaluator.activate(check, keepCompiled);
    }

    /** Blocking: the Measure a canonical url or id names in this site's store. */
    public Measure measure(String canonicalOrId) {
        return new StoredClinicalData(cache).measure(canonicalOrId).orElseThrow(() -> new MeasureEvaluationException(
                MeasureEvaluationException.Category.NOT_FOUND, "Measure", "no Measure " + canonicalOrId + " here"));
    }
}
