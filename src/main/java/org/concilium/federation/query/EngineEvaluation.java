package org.concilium.federation.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.concilium.measure.ContributionBounds;
import org.concilium.measure.EvaluateMeasureCommand;
import org.concilium.measure.MeasureCanonical;
import org.concilium.measure.MeasureService;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;

/** The network's view of the local measure engine: population summaries only. */
@ApplicationScoped
public class EngineEvaluation implements LocalEvaluation {

    @Inject
    MeasureService measures;

    @Override
    public Measure measure(String canonicalOrId) {
        return measures.measure(canonicalOrId);
    }

    @Override
    public MeasureReport summary(Measure measure, String periodStart, String periodEnd, ContributionBounds bounds) {
        // the resolved Measure itself goes to the engine; the command names it for the report
        return measures.evaluateNow(measure, EvaluateMeasureCommand.of(MeasureCanonical.of(measure), periodStart,
                periodEnd, "population", null, null, null), bounds);
    }
}
