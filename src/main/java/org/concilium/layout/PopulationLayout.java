package org.concilium.layout;

import org.concilium.measure.MeasureModel;

/**
 * A group population in a layout. {@code key} is the population code (e.g. {@code numerator}), or
 * {@code code:id} when the group has two populations with the same code.
 */
public record PopulationLayout(String key, MeasureModel.Population population) {

    /** The measure-population code. */
    public String code() {
        return population.type().code();
    }

    public String id() {
        return population.id();
    }
}
