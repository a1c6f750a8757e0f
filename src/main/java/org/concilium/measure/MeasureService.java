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

    /** {@code $data-requirements}: the module-definition Library of a Measure, off the event loop. */
    public Uni<org.hl7.fhir.r4.model.Library> dataRequirements(String measureRef, String periodStart, String periodEnd) {
        return Uni.createFrom().item(() -> {
            StoredClinicalData data = new StoredClinicalData(cache);
            return DataRequirements.of(measure(measureRef), data, periodStart, periodEnd);
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Blocking: the Measure a canonical url or id names in this site's store. */
    public Measure measure(String canonicalOrId) {
        return new StoredClinicalData(cache).measure(canonicalOrId).orElseThrow(() -> new MeasureEvaluationException(
                MeasureEvaluationException.Category.NOT_FOUND, "Measure", "no Measure " + canonicalOrId + " here"));
    }
}
