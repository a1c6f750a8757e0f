package org.concilium.fhir;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import org.concilium.store.ResourceWriter;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoreException;
import org.concilium.store.StoredResource;
import org.concilium.store.WriteLocks;

/**
 * Conditional update ({@code PUT Type?query}) and conditional delete ({@code DELETE Type?query}),
 * R4 3.1.0.4.3 and 3.1.0.7.1: the criteria are searched inside the write's transaction, under a
 * lock on the criteria so two writers with the same criteria serialise. No match: the update
 * creates (under the body's id, or a new one), the delete does nothing. One match: it is the
 * target (an update whose body names another id is a 400). Several: 412.
 */
final class ConditionalWrites {

    private ConditionalWrites() {
    }

    /** The criteria as a search, refused (400) unless every parameter is supported and there is at least one. */
    static SearchQuery criteria(String type, Map<String, List<String>> criteria, String what) {
        SearchQuery query = SearchQuery.parse(type, criteria, 2, 2);
        if (!query.unknown().isEmpty() || query.filters().isEmpty()) {
            throw FhirException.badRequest(what + " must use supported search parameters of " + type + ", got '"
                    + criteriaText(criteria) + "'");
        }
        return query;
    }

    /** The id of the one resource the criteria match, or null for none; 412 for several. */
    static Uni<String> target(ResourceWriter writer, String type, Map<String, List<String>> criteria, String what) {
        SearchQuery query = criteria(type, criteria, what);
        return writer.lock(List.of(WriteLocks.conditional(type, criteria))).flatMap(x -> writer.search(query))
                .map(page -> {
                    if (page.matches().size() > 1) {
                        throw new StoreException(StoreException.Reason.MULTIPLE_MATCHES, what + " '"
                                + criteriaText(criteria) + "' matches more than one " + type);
                    }
                    List<StoredResource> one = page.matches();
                    return one.isEmpty() ? null : one.get(0).id();
                });
    }

    /**
     * The id a conditional update writes: the match's id, else the body's id, else a new one.
     * A body id that differs from the single match is a 400 (R4).
     */
    static String updateId(String type, String matched, String bodyId) {
        if (matched != null) {
            if (bodyId != null && !bodyId.equals(matched)) {
                throw FhirException.badRequest("the body's id " + bodyId + " differs from the " + type + "/" + matched
                        + " the criteria match");
            }
            return matched;
        }
        return bodyId != null ? bodyId : ResourceWriter.newId();
    }

    private static String criteriaText(Map<String, List<String>> criteria) {
        StringBuilder s = new StringBuilder();
        criteria.forEach((k, vs) -> vs.forEach(v -> s.append(s.isEmpty() ? "" : "&").append(k).append('=').append(v)));
        return s.toString();
    }
}
