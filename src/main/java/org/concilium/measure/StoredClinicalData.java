package org.concilium.measure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.concilium.store.FhirJson;
import org.concilium.store.ResourceStore;
import org.concilium.store.StoredResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * The site's PostgreSQL store as the engine's {@link ClinicalData}: one SQL scan per resource type
 * per evaluation, parsed once and kept for the evaluation's lifetime (create one per evaluation).
 * Must be used from a worker thread: it waits for the database.
 */
public final class StoredClinicalData implements ClinicalData {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final ResourceStore store;
    private final Map<String, Map<String, Resource>> loaded = new ConcurrentHashMap<>();

    public StoredClinicalData(ResourceStore store) {
        this.store = store;
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
        return loaded.computeIfAbsent(type, t -> {
            List<StoredResource> rows = store.byType(t, null).await().atMost(TIMEOUT);
            Map<String, Resource> out = new LinkedHashMap<>();
            rows.parallelStream().map(r -> FhirJson.parse(Resource.class, r.json())).toList()
                    .forEach(r -> out.put(r.getIdElement().getIdPart(), r));
            return out;
        });
    }
}
