package org.concilium.measure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Resource;

/**
 * A package about to be published, seen over the site's stored knowledge: a resource of the package
 * replaces the stored one with its type and id. Only knowledge artifacts are visible, never clinical
 * data, so nothing a check reports (and sends to the publishing site) can quote a patient's values.
 */
final class PublicationData implements ClinicalData {

    static final Set<String> KNOWLEDGE = Set.of("Measure", "Library", "ValueSet", "CodeSystem");

    private final Map<String, List<Resource>> published;
    private final ClinicalData site;

    PublicationData(List<Resource> published, ClinicalData site) {
        this.published = published.stream().collect(Collectors.groupingBy(Resource::fhirType));
        this.site = site;
    }

    @Override
    public Stream<Resource> resources(String resourceType) {
        if (!KNOWLEDGE.contains(resourceType)) {
            return Stream.empty();
        }
        List<Resource> own = published.getOrDefault(resourceType, List.of());
        Set<String> ids = own.stream().map(r -> r.getIdElement().getIdPart()).collect(Collectors.toSet());
        return Stream.concat(own.stream(),
                site.resources(resourceType).filter(r -> !ids.contains(r.getIdElement().getIdPart())));
    }

    @Override
    public Optional<Resource> read(String resourceType, String id) {
        if (!KNOWLEDGE.contains(resourceType)) {
            return Optional.empty();
        }
        return published.getOrDefault(resourceType, List.of()).stream()
                .filter(r -> id.equals(r.getIdElement().getIdPart())).findFirst()
                .or(() -> site.read(resourceType, id));
    }
}
