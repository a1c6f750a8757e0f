package org.concilium.measure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.cql.engine.model.ModelResolver;

/**
 * One batch of patients as {@link ClinicalData}: the batch's patients, their resources of each
 * Patient-compartment type (preloaded, or fetched for this batch on first use), and everything else
 * (knowledge artifacts, Practitioner, Medication, ...) from the site's whole store.
 */
final class BatchClinicalData implements ClinicalData {

    private static final Set<String> KNOWLEDGE = Set.of("Measure", "Library", "ValueSet");

    private final ClinicalData site;
    private final Map<String, Resource> patients;
    private final Map<String, List<Resource>> byType;
    private final Function<String, List<Resource>> fetch;
    private final ModelResolver model;
    private final Set<String> typesSeen;

    /**
     * @param fetch loads a type's resources about this batch's patients
     * @param typesSeen collects the compartment types the logic asked for (the next batches preload them)
     */
    BatchClinicalData(ClinicalData site, Map<String, Resource> patients, Map<String, List<Resource>> preloaded,
            Function<String, List<Resource>> fetch, ModelResolver model, Set<String> typesSeen) {
        this.site = site;
        this.patients = patients;
        this.byType = new ConcurrentHashMap<>(preloaded);
        this.fetch = fetch;
        this.model = model;
        this.typesSeen = typesSeen;
    }

    @Override
    public Stream<Resource> resources(String type) {
        if ("Patient".equals(type)) {
            return patients.values().stream();
        }
        if (KNOWLEDGE.contains(type) || !inPatientCompartment(type)) {
            return site.resources(type);
        }
        typesSeen.add(type);
        return byType.computeIfAbsent(type, fetch).stream();
    }

    @Override
    public Optional<Resource> read(String type, String id) {
        if ("Patient".equals(type) && patients.containsKey(id)) {
            return Optional.of(patients.get(id));
        }
        return site.read(type, id);
    }

    @Override
    public Optional<org.hl7.fhir.r4.model.Measure> measure(String canonicalOrId) {
        return site.measure(canonicalOrId);
    }

    @Override
    public Optional<org.hl7.fhir.r4.model.Library> library(String canonicalOrId) {
        return site.library(canonicalOrId);
    }

    @Override
    public Optional<org.hl7.fhir.r4.model.ValueSet> valueSet(String canonical) {
        return site.valueSet(canonical);
    }

    /** The rule {@link PatientIndex} groups by: the FHIR model's Patient context path. */
    private boolean inPatientCompartment(String type) {
        try {
            Object path = model.getContextPath("Patient", type);
            return path instanceof String s && !s.isBlank();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
