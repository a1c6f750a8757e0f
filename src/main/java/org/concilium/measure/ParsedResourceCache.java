package org.concilium.measure;

import java.lang.ref.SoftReference;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.concilium.store.FhirJson;
import org.concilium.store.ResourceStore;
import org.concilium.store.StoredResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * Parsed resources of each type, kept between evaluations while the type is unchanged (same
 * count and newest last_updated), so repeated queries skip reading and parsing the whole type.
 * Soft references: under memory pressure the JVM drops them and the next evaluation re-reads.
 * Evaluations only read these resources; nothing may modify them.
 */
final class ParsedResourceCache {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private record Entry(ResourceStore.TypeVersion version, SoftReference<Map<String, Resource>> byId) {
    }

    private final ResourceStore store;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    ParsedResourceCache(ResourceStore store) {
        this.store = store;
    }

    Map<String, Resource> byId(String type) {
        ResourceStore.TypeVersion version = store.typeVersion(type).await().atMost(TIMEOUT);
        Entry cached = entries.get(type);
        Map<String, Resource> hit = cached != null && cached.version().equals(version) ? cached.byId().get() : null;
        if (hit != null) {
            return hit;
        }
        List<StoredResource> rows = store.byType(type, null).await().atMost(TIMEOUT);
        Map<String, Resource> out = new LinkedHashMap<>();
        rows.parallelStream().map(r -> FhirJson.parse(Resource.class, r.json())).toList()
                .forEach(r -> out.put(r.getIdElement().getIdPart(), r));
        Map<String, Resource> frozen = java.util.Collections.unmodifiableMap(out);
        entries.put(type, new Entry(version, new SoftReference<>(frozen)));
        return frozen;
    }
}
