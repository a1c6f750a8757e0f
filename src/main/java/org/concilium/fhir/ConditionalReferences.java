package org.concilium.fhir;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.store.ResourceWriter;
import org.concilium.store.SearchParameterCatalog;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoreException;
import org.hl7.fhir.r4.model.Reference;

/**
 * Resolves conditional references in a transaction ({@code Practitioner?identifier=urn:npi|123},
 * as current Synthea writes them): each distinct one is searched once inside the transaction;
 * exactly one match rewrites it to Type/id, none is a 404 and several a 412, naming the entry.
 */
final class ConditionalReferences {

    private ConditionalReferences() {
    }

    static Uni<Void> resolve(ResourceWriter w, List<PlannedEntry> plan, Map<String, String> ids) {
        Map<String, PlannedEntry> firstUse = new LinkedHashMap<>();
        for (PlannedEntry p : plan) {
            if (p.resource == null) {
                continue;
            }
            for (Reference ref : BundleProcessor.references(p.resource)) {
                String target = ref.getReference();
                if (target != null && isConditional(target) && !ids.containsKey(target)) {
                    firstUse.putIfAbsent(target, p);
                }
            }
        }
        return Multi.createFrom().iterable(firstUse.entrySet()).onItem().transformToUniAndConcatenate(e -> {
            String target = e.getKey();
            PlannedEntry p = e.getValue();
            String type = target.substring(0, target.indexOf('?'));
            if (!SearchParameterCatalog.supports(type)) {
                throw p.error(FhirException.notFound("conditional reference '" + target + "': " + type
                        + " is not a type this server stores"));
            }
            SearchQuery q = SearchQuery.parse(type, ConditionalCreate.parseQuery(target), 2, 2);
            if (!q.unknown().isEmpty() || q.filters().isEmpty()) {
                throw p.error(FhirException.badRequest("conditional reference '" + target
                        + "' must use supported search parameters"));
            }
            return w.search(q).invoke(page -> {
                if (page.matches().isEmpty()) {
                    throw p.error(FhirException.notFound("conditional reference '" + target + "' matches nothing"));
                }
                if (page.matches().size() > 1) {
                    throw new StoreException(StoreException.Reason.MULTIPLE_MATCHES, "Bundle.entry[" + p.index
                            + "]: conditional reference '" + target + "' matches more than one resource");
                }
                ids.put(target, type + "/" + page.matches().get(0).id());
            });
        }).collect().asList().replaceWithVoid();
    }

    /**
     * 'Type?query' (relative, a resource type before the '?'). The query may hold URLs
     * ({@code Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1}): only what is before the '?' decides.
     */
    static boolean isConditional(String reference) {
        int q = reference.indexOf('?');
        return q > 0 && reference.substring(0, q).matches("[A-Z][A-Za-z]*");
    }
}
