package org.concilium.measure.conformance;

import java.util.List;

/** One row of the table: a measure, its case count, and the cases that disagree (with each population). */
public record MeasureConformance(String measure, int cases, int agree, List<Disagreement> disagreements) {

    public int disagree() {
        return cases - agree;
    }
}
