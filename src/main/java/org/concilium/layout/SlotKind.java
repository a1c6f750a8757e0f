package org.concilium.layout;

/** What one integer of a layout vector counts. */
public enum SlotKind {
    /** Group population count. */
    POPULATION_COUNT,
    /** Stratum population count (one per stratifier value, including the "other" bucket). */
    STRATUM_POPULATION_COUNT,
    /** Supplemental-data value count. */
    SUPPLEMENTAL_COUNT,
    /** Continuous-variable observation sum in fixed point ({@link MeasureLayout#OBSERVATION_SCALE}). */
    OBSERVATION_SUM,
    /** Continuous-variable number of observations. */
    OBSERVATION_COUNT
}
