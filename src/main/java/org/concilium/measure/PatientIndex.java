package org.concilium.measure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.cql.engine.model.ModelResolver;

/**
 * The site's clinical data grouped by patient, one whole-type scan per resource type, built on
 * first use during an evaluation. Which types are scanned is exactly what the logic retrieves
 * (its data requirements), discovered as it runs. The patient of a resource is found by the FHIR
 * model's Patient context path (Encounter.subject, Coverage.beneficiary, ...), the same rule the
 * CQL engine uses.
 */
final class PatientIndex {

    /** All resources of a type, and those in each patient's compartment. */
    record TypeIndex(List<Resource> all, Map<String, List<Resource>> byPatient) {
        List<Resource> of(String patientId) {
            return byPatient.getOrDefault(patientId, List.of());
        }
    }

    private final ClinicalData data;
    private final ModelResolver model;
    private final Map<String, TypeIndex> types = new ConcurrentHashMap<>();

    PatientIndex(ClinicalData data, ModelResolver model) {
        this.data = data;
        this.model = model;
    }

    /** Every resource of the type (a FHIRPath expression naming it, a retrieve without a code filter). */
    TypeIndex type(String resourceType) {
        return type(resourceType, RetrieveNeeds.Need.ALL);
    }

    /**
     * The resources of a type, for a reader that keeps only those {@code need} names (a retrieve with
     * a code filter): batch data fetched from a store may hold only those.
     */
    TypeIndex type(String resourceType, RetrieveNeeds.Need need) {
        BatchClinicalData batch = data instanceof BatchClinicalData b ? b : null;
        if (batch != null) {
            batch.require(resourceType, need);
        }
        TypeIndex index = types.get(resourceType);
        if (index == null) {
            index = types.computeIfAbsent(resourceType, this::build);
        }
        if (batch != null) {
            batch.checkLoaded(resourceType, need);
        }
        return index;
    }

    /** A resource by type and id, straight from the site's data (FHIRPath {@code resolve()}). */
    Resource read(String resourceType, String id) {
        return data.read(resourceType, id).orElse(null);
    }

    /** Number of resources indexed so far (diagnostics). */
    int indexedResources() {
        return types.values().stream().mapToInt(t -> t.all().size()).sum();
    }

    private TypeIndex build(String resourceType) {
        List<Resource> all = data.resources(resourceType).toList();
        Map<String, List<Resource>> byPatient = new HashMap<>();
        String path = patientPath(resourceType);
        if (path != null) {
            for (Resource r : all) {
                String patient = patientOf(r, path);
                if (patient != null) {
                    byPatient.computeIfAbsent(patient, p -> new ArrayList<>(4)).add(r);
                }
            }
        }
        return new TypeIndex(all, byPatient);
    }

    private String patientPath(String resourceType) {
        if ("Patient".equals(resourceType)) {
            return "id";
        }
        try {
            Object path = model.getContextPath("Patient", resourceType);
            return path instanceof String s && !s.isBlank() ? s : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String patientOf(Resource r, String path) {
        if ("id".equals(path)) {
            return r.getIdElement().getIdPart();
        }
        Object value;
        try {
            value = model.resolvePath(r, path);
        } catch (RuntimeException e) {
            return null;
        }
        if (value instanceof List<?> list) {
            value = list.isEmpty() ? null : list.get(0);
        }
        if (value instanceof Reference ref) {
            IIdType target = ref.getReferenceElement();
            if (target.hasResourceType() && !"Patient".equals(target.getResourceType())) {
                return null;
            }
            return target.getIdPart();
        }
        return null;
    }

    static String idPart(Object contextValue) {
        String s = String.valueOf(contextValue);
        int slash = s.lastIndexOf('/');
        return slash < 0 ? s : s.substring(slash + 1);
    }
}
