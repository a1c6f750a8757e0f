package org.concilium.federation.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.concilium.layout.ValueSetSource;
import org.concilium.measure.ContributionBounds;
import org.concilium.measure.MeasureModel;
import org.concilium.measure.MeasureService;
import org.hl7.fhir.r4.model.MeasureReport;

/** The network's view of the local measure engine: population summaries only. */
@ApplicationScoped
public class EngineEvaluation implements LocalEvaluation {

    @Inject
    MeasureService measures;

    @Override
    public MeasureModel measure(String canonicalOrId) {
        return MeasureModel.of(measures.measure(canonicalOrId));
    }

    @Override
    public ValueSetSource valueSets() {
        return measures::expandedValueSet;
    }

    @Override
    public MeasureReport summary(MeasureModel measure, String periodStart, String periodEnd, ContributionBounds bounds) {
        return measures.summary(measure, periodStart, periodEnd, bounds);
    }
}
