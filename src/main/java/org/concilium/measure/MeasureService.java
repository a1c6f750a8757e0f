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

    /** Blocking: evaluates a Measure already resolved (the network path: no second look-up by its canonical). */
    public MeasureReport evaluateNow(Measure measure, EvaluateMeasureCommand command) {
        return evaluator.evaluate(measure, command, new StoredClinicalData(cache));
    }

    /** Blocking: as {@link #evaluateNow(Measure, EvaluateMeasureCommand)}, each subject clipped to {@code bounds}. */
    public MeasureReport evaluateNow(Measure measure, EvaluateMeasureCommand command, ContributionBounds bounds) {
        return evaluator.evaluate(measure, command, new StoredClinicalData(cache), bounds);
    }

    /** Blocking: one consistent view of the store for one operation (from a worker thread). */
    public ClinicalData storedData() {
        return new StoredClinicalData(cache);
    }

    /** Blocking: checks a package before publication against this site's stored knowledge ({@link PackageCheck}). */
    public PackageCheck checkPublication(java.util.List<org.hl7.fhir.r4.model.Resource> published) {
        return evaluator.check(published, new StoredClinicalData(cache));
    }

    /** After the checked package is stored: the evaluator takes over its compiled logic. */
    public void activatePublication(PackageCheck check) {
        evaluator.activate(check);
    }

    /** Blocking: the Measure a canonical url or id names in this site's store. */
    public Measure measure(String canonicalOrId) {
        return new StoredClinicalData(cache).measure(canonicalOrId).orElseThrow(() -> new MeasureEvaluationException(
                MeasureEvaluationException.Category.NOT_FOUND, "Measure", "no Measure " + canonicalOrId + " here"));
    }
}
