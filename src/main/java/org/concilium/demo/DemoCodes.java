package org.concilium.demo;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/** The code systems and codes the synthetic population writes and the sample Measures read. */
public final class DemoCodes {
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String LOINC = "http://loinc.org";
    public static final String CPT = "http://www.ama-assn.org/go/cpt";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    public static final String CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    public static final String CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    public static final String CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
    public static final String OMB_RACE_ETHNICITY = "urn:oid:2.16.840.1.113883.6.238";
    public static final String US_CORE_RACE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";
    public static final String US_CORE_ETHNICITY = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity";

    public static final String HYPERTENSION = "59621000";
    public static final String DIABETES = "44054006";
    public static final String END_STAGE_RENAL_DISEASE = "46177005";
    public static final String HEMODIALYSIS = "302497006";
    public static final String DEPRESSION_SCREENING = "171207006";
    public static final String CHECK_UP = "185349003";
    public static final String OFFICE_VISIT_ESTABLISHED_LOW = "99213";
    public static final String OFFICE_VISIT_ESTABLISHED_MODERATE = "99214";
    public static final String BLOOD_PRESSURE_PANEL = "85354-9";
    public static final String SYSTOLIC = "8480-6";
    public static final String DIASTOLIC = "8462-4";
    public static final String HBA1C = "4548-4";

    private DemoCodes() {}

    static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept(new Coding(system, code, display)).setText(display);
    }
}
