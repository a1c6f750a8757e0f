package org.concilium.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resource types this node stores and, per type, the search parameters it indexes: every
 * R4 SearchParameter HAPI's FhirContext defines for the type (name, type, FHIRPath, targets)
 * whose type this node implements (composites: those whose components it can pair on one element). The single source of truth for storage, search parsing,
 * compartments and the CapabilityStatement.
 */
public final class SearchParameterCatalog {

    /** The stored types, in CapabilityStatement order. */
    private static final List<String> TYPES = List.of("Patient", "Encounter", "Condition", "Observation",
            "Procedure", "MedicationRequest", "MedicationAdministration", "MedicationDispense", "MedicationStatement",
            "Immunization", "DiagnosticReport", "AllergyIntolerance", "ServiceRequest", "DeviceRequest", "Coverage",
            "Practitioner", "PractitionerRole", "Organization", "Location", "Group", "Measure", "Library",
            "ValueSet", "CodeSystem", "MeasureReport", "AuditEvent");

    /** Types the API may read but never write: the node writes them itself (security/AuditTrail). */
    public static final Set<String> APPEND_ONLY = Set.of("AuditEvent");

    private static final Set<SearchParamType> INDEXED = EnumSet.of(SearchParamType.NUMBER, SearchParamType.DATE,
            SearchParamType.STRING, SearchParamType.TOKEN, SearchParamType.REFERENCE, SearchParamType.QUANTITY,
            SearchParamType.URI, SearchParamType.COMPOSITE);

    private static final Map<String, List<SearchParam>> BY_TYPE = new LinkedHashMap<>();
    private static final Map<String, List<String>> PATIENT_COMPARTMENT = new LinkedHashMap<>();
    private static final Map<String, Map<String, StoredRows>> STORED = new LinkedHashMap<>();

    static {
        FhirContext context = FhirJson.context();
        IFhirPath fhirPath = context.newFhirPath();
        for (String type : TYPES) {
            RuntimeResourceDefinition def = context.getResourceDefinition(type);
            Map<String, SearchParam> byName = new LinkedHashMap<>();
            List<RuntimeSearchParam> composites = new ArrayList<>();
            for (RuntimeSearchParam p : def.getSearchParams()) {
                SearchParamType kind = typeOf(p);
                if (kind == null || !INDEXED.contains(kind) || !parses(fhirPath, p.getPath())) {
                    continue;
                }
                if (kind == SearchParamType.COMPOSITE) {
                    composites.add(p); // after the plain ones: its components refer to them
                    continue;
                }
                byName.put(p.getName(), new SearchParam(p.getName(), kind, p.getPath(), p.getDescription(),
                        Collections.unmodifiableSet(new LinkedHashSet<>(p.getTargets())), List.of()));
            }
            List<SearchParam> params = new ArrayList<>(byName.values());
            for (RuntimeSearchParam p : composites) {
                List<CompositeComponent> components = CompositeComponents.of(def, p, byName);
                if (components != null) {
                    params.add(new SearchParam(p.getName(), SearchParamType.COMPOSITE, p.getPath(), p.getDescription(),
                            Set.of(), components));
                }
            }
            params.sort((a, b) -> a.name().compareTo(b.name()));
            BY_TYPE.put(type, List.copyOf(params));
            STORED.put(type, StoredRows.of(params));
            List<String> compartment = new ArrayList<>();
            def.getSearchParamsForCompartmentName("Patient").forEach(p -> compartment.add(p.getName()));
            PATIENT_COMPARTMENT.put(type, List.copyOf(compartment));
        }
    }

    private SearchParameterCatalog() {
    }

    private static SearchParamType typeOf(RuntimeSearchParam p) {
        if (p.getParamType() == null) {
            return null;
        }
        try {
            return SearchParamType.valueOf(p.getParamType().name().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null; // special, has: not indexed
        }
    }

    private static boolean parses(IFhirPath fhirPath, String expression) {
        try {
            fhirPath.parse(expression);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The resource types this node stores, in CapabilityStatement order. */
    public static List<String> types() {
        return TYPES;
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

    /** Where the index rows of {@code type}'s parameter {@code name} are stored ({@link StoredRows}). */
    public static StoredRows stored(String type, String name) {
        StoredRows s = STORED.getOrDefault(type, Map.of()).get(name);
        return s != null ? s : StoredRows.own(name);
    }

    /**
     * The parameters whose rows, pointing at a Patient, put a resource of {@code type} in that Patient's
     * compartment: {@link #patientCompartment} with derived parameters replaced by the ones they restate.
     */
    public static List<String> patientCompartmentRows(String type) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : patientCompartment(type)) {
            StoredRows s = stored(type, name);
            out.addAll(s.targetType() == null || s.targetType().equals("Patient") ? s.params() : List.of(name));
        }
        return List.copyOf(out);
    }

    /** The parameters that put a resource of {@code type} in a Patient's compartment (R4 CompartmentDefinition). */
    public static List<String> patientCompartment(String type) {
        return PATIENT_COMPARTMENT.getOrDefault(type, List.of());
    }
}
