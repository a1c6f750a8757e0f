package org.concilium.measure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.cql.engine.model.ModelResolver;

/**
 * One batch of patients as {@link ClinicalData}: the batch's patients, their resources of each
 * Patient-compartment type (preloaded, or fetched for this batch on first use; only what the
 * evaluation's {@link RetrieveNeeds} need), and everything else
 * (knowledge artifacts, Practitioner, Medication, ...) from the site's whole store.
 */
final class BatchClinicalData implements ClinicalData {

    private static final Set<String> KNOWLEDGE = Set.of("Measure", "Library", "ValueSet", "CodeSystem");

    private final ClinicalData site;
    private final Map<String, Resource> patients;
    private final Map<String, List<Resource>> byType;
    private final Map<String, RetrieveNeeds.Need> loaded;
    private final BiFunction<String, RetrieveNeeds.Need, List<Resource>> fetch;
    private final ModelResolver model;
    private final RetrieveNeeds requirements;
    private final Set<RetrieveNeeds.Use> covered = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> compartment = new ConcurrentHashMap<>();
    private volatile boolean incomplete;

    /**
     * @param preloaded resources of each type fetched with the batch, for the needs in {@code preloadedFor}
     * @param fetch loads a type's resources about this batch's patients, for a need
     * @param requirements what the evaluation needs of each type, widened by this batch's retrieves
     *     (the next batches are fetched for it)
     */
    BatchClinicalData(ClinicalData site, Map<String, Resource> patients, Map<String, List<Resource>> preloaded,
            Map<String, RetrieveNeeds.Need> preloadedFor, BiFunction<String, RetrieveNeeds.Need, List<Resource>> fetch,
            ModelResolver model, RetrieveNeeds requirements) {
        this.site = site;
        this.patients = patients;
        this.byType = new ConcurrentHashMap<>(preloaded);
        this.loaded = new ConcurrentHashMap<>(preloadedFor);
        this.fetch = fetch;
        this.model = model;
        this.requirements = requirements;
    }

    /** Before a retrieve of {@code type} reads this batch's data: what it needs (for this and later batches). */
    void require(String type, RetrieveNeeds.Need need) {
        if (compartmentType(type)) {
            requirements.widen(type, need);
        }
    }

    /**
     * After: if this batch's data of {@code type} was fetched for a narrower need, the batch's results
     * are unusable; {@link #incomplete()} tells the evaluator to evaluate the batch again.
     */
    void checkLoaded(String type, RetrieveNeeds.Need need) {
        RetrieveNeeds.Need had = loaded.get(type);
        if (had == null || had == need || covered.contains(new RetrieveNeeds.Use(type, need))) {
            return;
        }
        if (compartmentType(type) && !had.covers(need)) {
            incomplete = true;
        } else if (loaded.get(type) == had) {
            covered.add(new RetrieveNeeds.Use(type, need)); // what was loaded for a type never narrows
        }
    }

    /** True when some retrieve needed more than this batch's data held (evaluate the batch again). */
    boolean incomplete() {
        return incomplete;
    }

    private boolean compartmentType(String type) {
        return !"Patient".equals(type) && !KNOWLEDGE.contains(type) && inPatientCompartment(type);
    }

    @Override
    public Stream<Resource> resources(String type) {
        if ("Patient".equals(type)) {
            return patients.values().stream();
        }
        if (KNOWLEDGE.contains(type) || !inPatientCompartment(type)) {
            return site.resources(type);
        }
        return byType.computeIfAbsent(type, t -> {
            RetrieveNeeds.Need need = requirements.need(t);
            loaded.put(t, need);
            return fetch.apply(t, need);
        }).stream();
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
        return compartment.computeIfAbsent(type, this::hasPatientContextPath);
    }

    private boolean hasPatientContextPath(String type) {
        try {
            Object path = model.getContextPath("Patient", type);
            return path instanceof String s && !s.isBlank();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
