package org.concilium.measure.deqm;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.repository.IRepository;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.NotImplementedOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.BundleBuilder;
import com.google.common.collect.Multimap;
import jakarta.annotation.Nonnull;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.concilium.measure.ClinicalData;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.fhir.utility.matcher.ResourceMatcher;
import org.opencds.cqf.fhir.utility.repository.Repositories;

/**
 * The site's store as the read-only HAPI {@link IRepository} cqf-fhir-cr's services take: reads
 * and searches answer from {@link ClinicalData} (one consistent view per operation), search
 * parameters are matched in memory by cqf-fhir-cr's own {@link ResourceMatcher}, as its
 * InMemoryFhirRepository does. Writes are refused (the services only try optional ones).
 *
 * <p>Two adaptations, both read-side: a Measure naming its Library as {@code Library/id} is served
 * with that Library's canonical url (the stock services resolve Measure.library only by canonical);
 * {@code standIns} are served when the store has no resource of that id (the site's own
 * Organization, which the care-gaps report names as reporter and author).
 */
final class StoreRepository implements IRepository {

    private final FhirContext fhir;
    private final ClinicalData data;
    private final Map<String, Resource> standIns;
    private final ResourceMatcher matcher;

    /** {@code standIns}: keyed {@code Type/id}. */
    StoreRepository(FhirContext fhir, ClinicalData data, Map<String, Resource> standIns) {
        this.fhir = fhir;
        this.data = data;
        this.standIns = Map.copyOf(standIns);
        this.matcher = Repositories.getResourceMatcher(fhir);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends IBaseResource, I extends IIdType> T read(Class<T> resourceType, I id, Map<String, String> headers) {
        String type = id.hasResourceType() ? id.getResourceType() : fhir.getResourceType(resourceType);
        String key = type + "/" + id.getIdPart();
        Optional<Resource> found = data.read(type, id.getIdPart()).or(() -> Optional.ofNullable(standIns.get(key)));
        return (T) served(found.orElseThrow(() -> new ResourceNotFoundException(key + " is not on this site")));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <B extends IBaseBundle, T extends IBaseResource> B search(Class<B> bundleType, Class<T> resourceType,
            Multimap<String, List<IQueryParameterType>> searchParameters, Map<String, String> headers) {
        String type = fhir.getResourceType(resourceType);
        Collection<Resource> candidates = candidates(type, searchParameters);
        BundleBuilder builder = new BundleBuilder(fhir);
        for (Resource r : candidates) {
            if (matches(r, searchParameters)) {
                builder.addCollectionEntry(served(r));
            }
        }
        builder.setType("searchset");
        return (B) builder.getBundle();
    }

    private Collection<Resource> candidates(String type, Multimap<String, List<IQueryParameterType>> params) {
        Stream<Resource> all = Stream.concat(data.resources(type),
                standIns.values().stream().filter(r -> r.fhirType().equals(type)
                        && data.read(type, r.getIdElement().getIdPart()).isEmpty()));
        if (params == null || !params.containsKey("_id")) {
            return all.toList();
        }
        Set<String> ids = new HashSet<>();
        for (List<IQueryParameterType> or : params.get("_id")) {
            for (IQueryParameterType p : or) {
                if (p instanceof TokenParam t) {
                    ids.add(t.getValue());
                }
            }
        }
        return all.filter(r -> ids.contains(r.getIdElement().getIdPart())).toList();
    }

    private boolean matches(Resource r, Multimap<String, List<IQueryParameterType>> params) {
        if (params == null) {
            return true;
        }
        for (var e : params.entries()) {
            if (!"_id".equals(e.getKey()) && !matcher.matches(e.getKey(), e.getValue(), r)) {
                return false;
            }
        }
        return true;
    }

    /** What the services see of a stored resource: a Measure's Library/id references become canonicals. */
    private Resource served(Resource r) {
        return r instanceof Measure m ? withCanonicalLibraries(m, data) : r;
    }

    /** A copy of {@code stored} whose {@code Library/id} references name the stored Library's canonical url. */
    static Measure withCanonicalLibraries(Measure stored, ClinicalData data) {
        if (stored.getLibrary().stream().noneMatch(ref -> ref.getValue() != null && ref.getValue().startsWith("Library/"))) {
            return stored;
        }
        Measure measure = stored.copy();
        for (var ref : measure.getLibrary()) {
            if (ref.getValue() != null && ref.getValue().startsWith("Library/")) {
                data.read("Library", ref.getValue().substring("Library/".length()))
                        .map(Library.class::cast).filter(Library::hasUrl)
                        .ifPresent(l -> ref.setValue(l.getUrl() + (l.hasVersion() ? "|" + l.getVersion() : "")));
            }
        }
        return measure;
    }

    @Override
    public <T extends IBaseResource> MethodOutcome create(T resource, Map<String, String> headers) {
        throw readOnly();
    }

    @Override
    public <T extends IBaseResource> MethodOutcome update(T resource, Map<String, String> headers) {
        throw readOnly();
    }

    @Override
    public <T extends IBaseResource, I extends IIdType> MethodOutcome delete(Class<T> resourceType, I id,
            Map<String, String> headers) {
        throw readOnly();
    }

    private static NotImplementedOperationException readOnly() {
        return new NotImplementedOperationException("the DEQM operations read this site's store; they never write to it");
    }

    @Override
    @Nonnull
    public FhirContext fhirContext() {
        return fhir;
    }

}
