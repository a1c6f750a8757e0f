package org.concilium.measure;

import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The site's FHIR content as the measure engine sees it: clinical resources, and the
 * knowledge artifacts (Measure, Library, ValueSet) that define what to compute.
 *
 * <p>The engine reads each clinical resource type at most once per evaluation (a whole-type scan,
 * {@link #resources(String)}) and builds its own per-patient index, so implementations need no
 * per-patient query path. Implementations must be safe for concurrent reads.
 */
public interface ClinicalData {

    /** Every resource of a FHIR resource type (e.g. {@code "Encounter"}); empty when none. */
    Stream<Resource> resources(String resourceType);

    /** One resource by type and logical id. */
    Optional<Resource> read(String resourceType, String id);

    /**
     * A knowledge artifact by canonical url and optional version; with no version the highest
     * version wins (lexical order), as a FHIR server resolves an unversioned canonical.
     */
    default <T extends MetadataResource> Optional<T> byCanonical(Class<T> type, String url, String version) {
        String resourceType = type.getSimpleName();
        return resources(resourceType)
                .map(type::cast)
                .filter(r -> url.equals(r.getUrl()))
                .filter(r -> version == null || version.equals(r.getVersion()))
                .max((a, b) -> String.valueOf(a.getVersion()).compareTo(String.valueOf(b.getVersion())));
    }

    /** A Library by its CQL name ({@code Library.name}, or the last url segment) and optional version. */
    default Optional<Library> libraryByName(String name, String version) {
        return resources("Library")
                .map(Library.class::cast)
                .filter(l -> name.equals(l.getName()) || (l.hasUrl() && l.getUrl().endsWith("/Library/" + name)))
                .filter(l -> version == null || version.equals(l.getVersion()))
                .max((a, b) -> String.valueOf(a.getVersion()).compareTo(String.valueOf(b.getVersion())));
    }

    default Optional<Measure> measure(String canonicalOrId) {
        return KnowledgeRefs.resolve(this, Measure.class, canonicalOrId);
    }

    default Optional<Library> library(String canonicalOrId) {
        return KnowledgeRefs.resolve(this, Library.class, canonicalOrId);
    }

    default Optional<ValueSet> valueSet(String canonical) {
        return KnowledgeRefs.resolve(this, ValueSet.class, canonical);
    }
}
