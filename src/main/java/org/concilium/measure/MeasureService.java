package org.concilium.measure;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.concilium.store.ResourceStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;

/** Evaluates Measures over this site's stored data, off the event loop. */
@ApplicationScoped
public class MeasureService {

    private final ParsedResourceCache cache;
    private final MeasureEvaluator evaluator;

    @Inject
    public MeasureService(ResourceStore store, @ConfigProperty(name = "concilium.site.id") String siteId) {
        this.cache = new ParsedResourceCache(store);
        this.evaluator = new MeasureEvaluator(MeasureEvaluator.Options.defaults()
                .withReporter("Organization/" + siteId));
    }

    public Uni<MeasureReport> evaluate(EvaluateMeasureCommand command) {
        return Uni.createFrom().item(() -> evaluateNow(command)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Blocking: for callers already on a worker thread. */
    public MeasureReport evaluateNow(EvaluateMeasureCommand command) {
        return evaluator.evaluate(command, new StoredClinicalData(cache));
    }

    /** Blocking: the Measure a canonical url or id names in this site's store. */
    public Measure measure(String canonicalOrId) {
        return new StoredClinicalData(cache).measure(canonicalOrId).orElseThrow(() -> new MeasureEvaluationException(
                MeasureEvaluationException.Category.NOT_FOUND, "Measure", "no Measure " + canonicalOrId + " here"));
    }
}
