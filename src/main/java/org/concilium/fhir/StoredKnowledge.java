package org.concilium.fhir;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.concilium.store.FhirJson;
import org.concilium.store.ResourceStore;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoredResource;
import org.concilium.terminology.KnowledgeSource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The site store as a {@link KnowledgeSource}: a canonical ({@code url} or {@code url|version}) is
 * a {@code url=} (and {@code version=}) search; without a version the highest one wins, as in the
 * measure engine. Blocking: use from a worker thread.
 */
final class StoredKnowledge implements KnowledgeSource {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_VERSIONS = 100;

    private final ResourceStore store;

    StoredKnowledge(ResourceStore store) {
        this.store = store;
    }

    @Override
    public Optional<CodeSystem> codeSystem(String canonical) {
        return find(CodeSystem.class, canonical);
    }

    @Override
    public Optional<ValueSet> valueSet(String canonical) {
        return find(ValueSet.class, canonical);
    }

    private <T extends MetadataResource> Optional<T> find(Class<T> type, String canonical) {
        int bar = canonical.lastIndexOf('|');
        String url = bar < 0 ? canonical : canonical.substring(0, bar);
        String version = bar < 0 ? null : canonical.substring(bar + 1);
        Map<String, List<String>> params = version == null ? Map.of("url", List.of(escape(url)))
                : Map.of("url", List.of(escape(url)), "version", List.of(escape(version)));
        SearchQuery query = SearchQuery.parse(type.getSimpleName(), params, MAX_VERSIONS, MAX_VERSIONS);
        List<StoredResource> matches = store.search(query).await().atMost(TIMEOUT).matches();
        return matches.stream().map(s -> FhirJson.parse(type, s.json()))
                .max((a, b) -> String.valueOf(a.getVersion()).compareTo(String.valueOf(b.getVersion())));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(",", "\\,").replace("|", "\\|").replace("$", "\\$");
    }
}
