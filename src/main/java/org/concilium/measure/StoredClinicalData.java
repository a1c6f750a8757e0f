package org.concilium.measure;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Resource;

/**
 * The site's PostgreSQL store as the engine's {@link ClinicalData}: each resource type read once per
 * evaluation (from the {@link ParsedResourceCache} when unchanged; create one per evaluation).
 * Must be used from a worker thread: it waits for the database.
 */
public final class StoredClinicalData implements ClinicalData {

    private final ParsedResourceCache cache;
    private final Map<String, Map<String, Resource>> loaded = new ConcurrentHashMap<>();

    StoredClinicalData(ParsedResourceCache cache) {
        this.cache = cache;
    }

    @Override
    public Stream<Resource> resources(String resourceType) {
        return byId(resourceType).values().stream();
    }

    @Override
    public Optional<Resource> read(String resourceType, String id) {
        return Optional.ofNullable(byId(resourceType).get(id));
    }

    private Map<String, Resource> byId(String type) {
        // one consistent view per evaluation, even if the type changes meanwhile
        return loaded.computeIfAbsent(type, cache::byId);
    }
}
