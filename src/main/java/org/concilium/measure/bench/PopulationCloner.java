package org.concilium.measure.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.store.BulkResourceLoader;
import org.concilium.store.CopyText;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Scales a test bundle's patients up: patient k of n is a copy of template patient (k mod t) and
 * all of that patient's resources, with fresh ids and every reference among them rewritten.
 * Knowledge artifacts (Measure, Library, ValueSet) and the bundle's expected MeasureReports are
 * kept apart; resources that belong to no patient are shared, not cloned.
 */
final class PopulationCloner {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final List<String> KNOWLEDGE = List.of("Measure", "Library", "ValueSet", "CodeSystem");

    final List<Resource> knowledge = new ArrayList<>();
    final List<Resource> shared = new ArrayList<>();
    /** Per template patient: the Patient first, then its resources. */
    final List<List<Resource>> templates = new ArrayList<>();

    PopulationCloner(Bundle bundle) {
        FhirTerser terser = FHIR.newTerser();
        Map<String, List<Resource>> byPatient = new LinkedHashMap<>();
        List<Resource> clinical = new ArrayList<>();
        for (var e : bundle.getEntry()) {
            Resource r = e.getResource();
            if (r == null || "MeasureReport".equals(r.fhirType())) {
                continue;
            }
            if (KNOWLEDGE.contains(r.fhirType())) {
                knowledge.add(r);
            } else if ("Patient".equals(r.fhirType())) {
                byPatient.computeIfAbsent(r.getIdElement().getIdPart(), k -> new ArrayList<>()).add(0, r);
            } else {
                clinical.add(r);
            }
        }
        for (Resource r : clinical) {
            String owner = null;
            for (Reference ref : terser.getAllPopulatedChildElementsOfType(r, Reference.class)) {
                var target = ref.getReferenceElement();
                if ("Patient".equals(target.getResourceType()) && byPatient.containsKey(target.getIdPart())) {
                    owner = target.getIdPart();
                    break;
                }
            }
            if (owner == null) {
                shared.add(r);
            } else {
                byPatient.get(owner).add(r);
            }
        }
        templates.addAll(byPatient.values());
    }

    /** {@code patients} cloned patients with their resources (plus the shared resources). */
    List<Resource> clone(int patients) {
        List<Resource> out = new ArrayList<>(shared);
        out.addAll(clonePatients(0, patients));
        return out;
    }

    /** Clones number {@code from} to {@code from + count - 1} with their resources (not the shared ones). */
    List<Resource> clonePatients(int from, int count) {
        List<Resource> out = new ArrayList<>();
        for (int k = from; k < from + count; k++) {
            out.addAll(clonePatient(templates.get(k % templates.size()), "-c" + k));
        }
        return out;
    }

    /**
     * The id suffix the COPY templates carry in place of {@code -c<k>}: digits, so no normalisation of
     * an indexed value changes it, and no connectathon resource holds them.
     */
    static final String MARKER = "-c7391046285";

    /** Per template patient, the COPY text of its clone with the suffix {@link #MARKER}. */
    List<CopyText> copyTemplates(BulkResourceLoader loader, Instant updated) {
        List<CopyText> out = new ArrayList<>();
        for (List<Resource> template : templates) {
            out.add(loader.render(clonePatient(template, MARKER), updated));
        }
        return out;
    }

    /**
     * Clones {@code from..from+count-1} as COPY text stamped from {@link #copyTemplates}: the same rows
     * {@code loader.render(clonePatients(from, count))} makes, without cloning, indexing or encoding
     * resources per clone ({@code PopulationClonerTest}).
     */
    static CopyText stamp(List<CopyText> templates, int from, int count) {
        CopyText out = new CopyText();
        for (int k = from; k < from + count; k++) {
            out.appendReplacing(templates.get(k % templates.size()), MARKER, "-c" + k);
        }
        return out;
    }

    /** One template patient's resources with fresh ids ({@code id + suffix}) and references among them rewritten. */
    private static List<Resource> clonePatient(List<Resource> template, String suffix) {
        FhirTerser terser = FHIR.newTerser();
        List<Resource> out = new ArrayList<>(template.size());
        Map<String, String> ids = new HashMap<>();
        for (Resource r : template) {
            ids.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r.fhirType() + "/" + r.getIdElement().getIdPart() + suffix);
        }
        for (Resource r : template) {
            Resource copy = r.copy();
            copy.setIdElement(new org.hl7.fhir.r4.model.IdType(r.fhirType(), r.getIdElement().getIdPart() + suffix));
            for (Reference ref : terser.getAllPopulatedChildElementsOfType(copy, Reference.class)) {
                String target = ref.getReference();
                if (target != null && ids.containsKey(target)) {
                    ref.setReference(ids.get(target));
                }
            }
            out.add(copy);
        }
        return out;
    }
}
