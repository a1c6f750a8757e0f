package org.concilium.layout;

import java.util.List;
import org.concilium.measure.AggregateMethod;
import org.concilium.measure.MeasureModel;
import org.concilium.measure.Scoring;
import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * A Measure group in a layout, derived from the model's {@code group}. {@code aggregate} is set only
 * for continuous-variable groups: how the network's observation sums become the score.
 */
public record GroupLayout(
        String key,
        MeasureModel.Group group,
        AggregateMethod aggregate,
        List<PopulationLayout> populations,
        List<StratifierLayout> stratifiers) {
    public GroupLayout {
        populations = List.copyOf(populations);
        stratifiers = List.copyOf(stratifiers);
    }

    public String id() {
        return group.id();
    }

    public CodeableConcept code() {
        return group.code();
    }

    public Scoring scoring() {
        return group.scoring();
    }

    public boolean isContinuousVariable() {
        return scoring() == Scoring.CONTINUOUS_VARIABLE;
    }
}
