package org.concilium.layout;

/** Codes of http://terminology.hl7.org/CodeSystem/measure-population used by layout and scoring. */
public final class PopulationCodes {
    public static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-population";
    public static final String INITIAL_POPULATION = "initial-population";
    public static final String NUMERATOR = "numerator";
    public static final String NUMERATOR_EXCLUSION = "numerator-exclusion";
    public static final String DENOMINATOR = "denominator";
    public static final String DENOMINATOR_EXCLUSION = "denominator-exclusion";
    public static final String DENOMINATOR_EXCEPTION = "denominator-exception";
    public static final String MEASURE_POPULATION = "measure-population";
    public static final String MEASURE_POPULATION_EXCLUSION = "measure-population-exclusion";
    public static final String MEASURE_OBSERVATION = "measure-observation";

    private PopulationCodes() {}
}
