package org.concilium.layout;

/** Extension URLs a layout reads from site reports and writes into network reports. */
public final class ReportExtensions {
    /** Continuous-variable observation sum of a group / stratum (valueDecimal); exact input for the sum slot. */
    public static final String OBSERVATION_SUM = "http://concilium.org/fhir/StructureDefinition/observation-sum";
    /** Continuous-variable number of observations of a group / stratum (valueInteger). */
    public static final String OBSERVATION_COUNT = "http://concilium.org/fhir/StructureDefinition/observation-count";
    public static final String DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    /** cqf-fhir-cr / DEQM supplemental-data reference on the report, with a criteriaReference naming the SDE. */
    public static final String SUPPLEMENTAL_DATA = "http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-supplementalData";
    public static final String SUPPLEMENTAL_DATA_R5 =
            "http://hl7.org/fhir/5.0/StructureDefinition/extension-MeasureReport.supplementalDataElement.reference";
    public static final String CRITERIA_REFERENCE = "http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-criteriaReference";
    /** What the measure engine puts on each supplemental-data Observation: the SDE id. */
    public static final String POPULATION_REFERENCE =
            "http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-populationReference";
    public static final String MEASURE_INFO = "http://hl7.org/fhir/StructureDefinition/cqf-measureInfo";

    private ReportExtensions() {}
}
