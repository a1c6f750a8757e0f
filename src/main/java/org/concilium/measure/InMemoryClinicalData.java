package org.concilium.measure;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Immutable in-memory {@link ClinicalData} built from FHIR resources, Bundles or a directory of
 * JSON files (an IG-style {@code input/} tree). Used by tests and the benchmark; the node's own
 * implementation reads PostgreSQL.
 */
public final class InMemoryClinicalData implements ClinicalData {

    private final Map<String, Map<String, Resource>> byType;

    private InMemoryClinicalData(Map<String, Map<String, Resource>> byType) {
        this.byType = byType;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Stream<Resource> resources(String resourceType) {
        return byType.getOrDefault(resourceType, Map.of()).values().stream();
    }

    @Override
    public Optional<Resource> read(String resourceType, String id) {
        return Optional.ofNullable(byType.getOrDefault(resourceType, Map.of()).get(id));
    }

    /** Number of resources held, all types together. */
    public int size() {
        return byType.values().stream().mapToInt(Map::size).sum();
    }

    /** Every resource held, for copying into other stores (e.g. the benchmark's stock repository). */
    public List<Resource> all() {
        List<Resource> out = new ArrayList<>();
        byType.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    public static final class Builder {
        private static final FhirContext FHIR = FhirContext.forR4Cached();
        private final Map<String, Map<String, Resource>> byType = new HashMap<>();

        private Builder() {}

        public Builder add(Resource resource) {
            if (resource instanceof Bundle bundle) {
                return addBundle(bundle);
            }
            if (!resource.getIdElement().hasIdPart()) {
                resource.setId(UUID.randomUUID().toString());
            }
            String type = resource.fhirType();
            byType.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(resource.getIdElement().getIdPart(), resource);
            return this;
        }

        public Builder addAll(Iterable<? extends Resource> resources) {
            resources.forEach(this::add);
            return this;
        }

        /** Adds every entry; {@code urn:uuid} references between entries are rewritten to {@code Type/id}. */
        public Builder addBundle(Bundle bundle) {
            Map<String, String> fullUrls = new HashMap<>();
            for (var entry : bundle.getEntry()) {
                Resource r = entry.getResource();
                if (r == null) {
                    continue;
                }
                if (!r.getIdElement().hasIdPart()) {
                    r.setId(entry.hasFullUrl() && entry.getFullUrl().startsWith("urn:uuid:")
                            ? entry.getFullUrl().substring("urn:uuid:".length())
                            : UUID.randomUUID().toString());
                }
                if (entry.hasFullUrl()) {
                    fullUrls.put(entry.getFullUrl(), r.fhirType() + "/" + r.getIdElement().getIdPart());
                }
            }
            for (var entry : bundle.getEntry()) {
                Resource r = entry.getResource();
                if (r == null) {
                    continue;
                }
                if (!fullUrls.isEmpty()) {
                    for (Reference ref : FHIR.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class)) {
                        String target = ref.getReference();
                        if (target != null && fullUrls.containsKey(target)) {
                            ref.setReference(fullUrls.get(target));
                        }
                    }
                }
                add(r);
            }
            return this;
        }

        /**
         * Loads every {@code *.json} FHIR resource below a directory. A Library whose content
         * points at a relative file ({@code content.url = "../../cql/X.cql"}, the IG publisher
         * layout) gets that file inlined as {@code content.data}.
         */
        public Builder addDirectory(Path dir) {
            IParser parser = FHIR.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    String text = Files.readString(file);
                    if (!text.contains("\"resourceType\"")) {
                        continue;
                    }
                    IBaseResource parsed;
                    try {
                        parsed = parser.parseResource(text);
                    } catch (RuntimeException e) {
                        continue; // not a FHIR resource (e.g. cql-options.json)
                    }
                    if (parsed instanceof Library library) {
                        inlineRelativeContent(library, file.getParent());
                    }
                    add((Resource) parsed);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        private static void inlineRelativeContent(Library library, Path base) throws IOException {
            for (Attachment content : library.getContent()) {
                if (!content.hasData() && content.hasUrl() && !content.getUrl().contains("://")) {
                    Path file = base.resolve(content.getUrl()).normalize();
                    if (Files.isRegularFile(file)) {
                        content.setData(Files.readAllBytes(file));
                        content.setUrl(null);
                    }
                }
            }
        }

        public InMemoryClinicalData build() {
            Map<String, Map<String, Resource>> copy = new HashMap<>();
            byType.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
            return new InMemoryClinicalData(Collections.unmodifiableMap(copy));
        }
    }
}
