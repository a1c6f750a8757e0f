package org.concilium.layout;

import java.util.List;
import org.concilium.measure.AggregateMethod;
import org.concilium.measure.Scoring;
import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * A Measure group in a layout. {@code aggregate} is set only for continuous-variable groups.
 */
public record GroupLayout(
        String key,
        String id,
        CodeableConcept code,
        Scoring scoring,
        AggregateMethod aggregate,
        List<PopulationLayout> populations,
        List<StratifierLayout> stratifiers) {
    public GroupLayout {
        populations = List.copyOf(populations);
        stratifiers = List.copyOf(stratifiers);
    }

    public boolean isContinuousVariable() {
        return scoring == Scoring.CONTINUOUS_VARIABLE;
    }
}
