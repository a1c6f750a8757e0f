package org.concilium.store;

import static org.concilium.store.SearchParam.date;
import static org.concilium.store.SearchParam.reference;
import static org.concilium.store.SearchParam.token;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resource types this node stores and, per type, the search parameters it indexes.
 * The single source of truth for storage, search parsing and the CapabilityStatement.
 * A type has at most one DATE parameter (one date column) and one REFERENCE to its patient.
 */
public final class SearchParameterCatalog {

    private static final SearchParam ID = new SearchParam("_id", SearchParamType.ID, "Resource.id", "Logical id");
    private static final SearchParam LAST_UPDATED = new SearchParam("_lastUpdated", SearchParamType.LAST_UPDATED,
            "Resource.meta.lastUpdated", "When the resource version last changed");

    private static final Map<String, List<SearchParam>> BY_TYPE = new LinkedHashMap<>();

    static {
        type("Patient", token("identifier", "Patient.identifier", "A patient identifier"),
                token("gender", "Patient.gender", "Administrative gender"),
                date("birthdate", "Patient.birthDate", "The patient's date of birth"));
        type("Encounter", subject("Encounter.subject"), patient("Encounter.subject"),
                token("status", "Encounter.status", "Encounter status"),
                token("type", "Encounter.type", "Specific type of encounter"),
                token("class", "Encounter.class", "Classification of the encounter"),
                date("date", "Encounter.period", "A date within the period the Encounter lasted"));
        type("Condition", subject("Condition.subject"), patient("Condition.subject"),
                token("code", "Condition.code", "Code for the condition"),
                token("clinical-status", "Condition.clinicalStatus", "The clinical status of the condition"),
                token("category", "Condition.category", "The category of the condition"),
                date("onset-date", "Condition.onset", "Date related onsets (dateTime and Period)"));
        type("Observation", subject("Observation.subject"), patient("Observation.subject"),
                token("code", "Observation.code", "The code of the observation type"),
                token("status", "Observation.status", "The status of the observation"),
                token("category", "Observation.category", "The classification of the type of observation"),
                date("date", "Observation.effective", "Obtained date/time"));
        type("Procedure", subject("Procedure.subject"), patient("Procedure.subject"),
                token("code", "Procedure.code", "A code to identify a procedure"),
                token("status", "Procedure.status", "The status of the procedure"),
                date("date", "Procedure.performed", "When the procedure was performed"));
        type("MedicationRequest", subject("MedicationRequest.subject"), patient("MedicationRequest.subject"),
                token("code", "MedicationRequest.medication", "Return prescriptions of this medication code"),
                token("status", "MedicationRequest.status", "Status of the prescription"),
                token("intent", "MedicationRequest.intent", "Kind of medication request"),
                date("authoredon", "MedicationRequest.authoredOn", "When the prescription was written"));
        type("MedicationAdministration", subject("MedicationAdministration.subject"),
                patient("MedicationAdministration.subject"),
                token("code", "MedicationAdministration.medication", "Medication code"),
                token("status", "MedicationAdministration.status", "Status of the administration"),
                date("effective-time", "MedicationAdministration.effective", "Date administration happened"));
        type("MedicationDispense", subject("MedicationDispense.subject"), patient("MedicationDispense.subject"),
                token("code", "MedicationDispense.medication", "Medication code"),
                token("status", "MedicationDispense.status", "Status of the dispense"),
                date("whenhandedover", "MedicationDispense.whenHandedOver", "When the medication was handed over"));
        type("MedicationStatement", subject("MedicationStatement.subject"), patient("MedicationStatement.subject"),
                token("code", "MedicationStatement.medication", "Medication code"),
                token("status", "MedicationStatement.status", "Status of the statement"),
                date("effective", "MedicationStatement.effective", "Date when patient was taking the medication"));
        type("Immunization", patient("Immunization.patient"),
                token("vaccine-code", "Immunization.vaccineCode", "Vaccine product administered"),
                token("status", "Immunization.status", "Immunization event status"),
                date("date", "Immunization.occurrence", "Vaccination administration date"));
        type("DiagnosticReport", subject("DiagnosticReport.subject"), patient("DiagnosticReport.subject"),
                token("code", "DiagnosticReport.code", "The code for the report"),
                token("status", "DiagnosticReport.status", "The status of the report"),
                token("category", "DiagnosticReport.category", "Which diagnostic discipline produced it"),
                date("date", "DiagnosticReport.effective", "The clinically relevant time of the report"));
        type("AllergyIntolerance", patient("AllergyIntolerance.patient"),
                token("code", "AllergyIntolerance.code", "Code that identifies the allergy or intolerance"),
                token("clinical-status", "AllergyIntolerance.clinicalStatus", "Clinical status"),
                date("date", "AllergyIntolerance.recordedDate", "Date first version was recorded"));
        type("ServiceRequest", subject("ServiceRequest.subject"), patient("ServiceRequest.subject"),
                token("code", "ServiceRequest.code", "What is being requested"),
                token("status", "ServiceRequest.status", "Status of the request"),
                token("intent", "ServiceRequest.intent", "Kind of request"),
                date("authored", "ServiceRequest.authoredOn", "Date request signed"));
        type("DeviceRequest", subject("DeviceRequest.subject"), patient("DeviceRequest.subject"),
                token("code", "DeviceRequest.code", "Code for what is being requested"),
                token("status", "DeviceRequest.status", "Status of the request"),
                token("intent", "DeviceRequest.intent", "Kind of request"),
                date("authored-on", "DeviceRequest.authoredOn", "When the request transitioned to being actionable"));
        type("Coverage", patient("Coverage.beneficiary"),
                token("type", "Coverage.type", "The kind of coverage"),
                token("status", "Coverage.status", "The status of the coverage"));
        type("Practitioner", token("identifier", "Practitioner.identifier", "A practitioner's identifier"));
        type("PractitionerRole", token("identifier", "PractitionerRole.identifier", "A role's identifier"),
                token("role", "PractitionerRole.code", "The practitioner's role"));
        type("Organization", token("identifier", "Organization.identifier", "An organization identifier"),
                token("type", "Organization.type", "A code for the type of organization"));
        type("Location", token("identifier", "Location.identifier", "An identifier for the location"),
                token("status", "Location.status", "Searches for locations with a specific kind of status"));
        type("Group", token("identifier", "Group.identifier", "Unique id"),
                token("type", "Group.type", "The type of resources the group contains"));
        for (String knowledge : List.of("Measure", "Library", "ValueSet")) {
            type(knowledge, token("url", knowledge + ".url", "The uri that identifies the " + knowledge),
                    token("version", knowledge + ".version", "The business version of the " + knowledge),
                    token("status", knowledge + ".status", "The current status of the " + knowledge),
                    date("date", knowledge + ".date", "The " + knowledge + " publication date"));
        }
        type("MeasureReport", subject("MeasureReport.subject"), patient("MeasureReport.subject"),
                token("measure", "MeasureReport.measure", "The measure to return measure report results for"),
                token("status", "MeasureReport.status", "The status of the measure report"),
                date("date", "MeasureReport.date", "The date of the measure report"));
        // the audit trail (security/AuditTrail): written by the node only, read with system/AuditEvent.rs
        type("AuditEvent", patient("AuditEvent.entity.what.where(reference.startsWith('Patient/'))"),
                token("agent", "AuditEvent.agent.who.identifier", "Who acted (urn:concilium:client|client id)"),
                token("type", "AuditEvent.type", "Type of event"),
                token("subtype", "AuditEvent.subtype", "The interaction (http://hl7.org/fhir/restful-interaction)"),
                token("action", "AuditEvent.action", "Type of action performed (C R U D E)"),
                token("outcome", "AuditEvent.outcome", "Whether the event succeeded or failed (0 4 8 12)"),
                date("date", "AuditEvent.recorded", "Time when the event was recorded"));
    }

    /** Types the API may read but never write: the node writes them itself. */
    public static final Set<String> APPEND_ONLY = Set.of("AuditEvent");

    private SearchParameterCatalog() {
    }

    private static SearchParam subject(String path) {
        return reference("subject", path, "The subject the resource is about (a Patient)");
    }

    private static SearchParam patient(String path) {
        return reference("patient", path, "The patient the resource is about");
    }

    private static void type(String type, SearchParam... params) {
        List<SearchParam> all = new ArrayList<>(List.of(ID, LAST_UPDATED));
        all.addAll(List.of(params));
        BY_TYPE.put(type, Collections.unmodifiableList(all));
    }

    /** The resource types this node stores, in CapabilityStatement order. */
    public static Set<String> types() {
        return Collections.unmodifiableSet(BY_TYPE.keySet());
    }

    public static boolean supports(String type) {
        return BY_TYPE.containsKey(type);
    }

    public static List<SearchParam> params(String type) {
        return BY_TYPE.getOrDefault(type, List.of());
    }

    public static Optional<SearchParam> param(String type, String name) {
        return params(type).stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
