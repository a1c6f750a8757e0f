package org.concilium.fhir;

import org.concilium.security.Caller;
import org.concilium.security.Interaction;
import org.concilium.store.Include;
import org.concilium.store.SearchFilter;
import org.concilium.store.SearchQuery;

/**
 * A search reads more types than the one searched: chains and _has filter on other types, and
 * _include/_revinclude return them. The caller needs search scope on every one of them.
 */
final class SearchScopes {

    private SearchScopes() {
    }

    /**
     * Conditional criteria (If-None-Exist, PUT/DELETE Type?criteria, a transaction's conditional
     * references) are searches too: whether they match is in the answer (201 or 200, 412, 404), so a
     * chain or _has in them needs the same scopes as in a search, and a conditional reference needs
     * search on the type it names.
     */
    static void requireCriteria(Caller caller, String type, java.util.Map<String, java.util.List<String>> criteria) {
        caller.require(type, Interaction.SEARCH);
        require(caller, SearchQuery.parse(type, criteria, 1, 1));
    }

    static void require(Caller caller, SearchQuery query) {
        for (SearchFilter f : query.filters()) {
            if (f instanceof SearchFilter.Chain c) {
                c.targetTypes().forEach(t -> caller.require(t, Interaction.SEARCH));
            } else if (f instanceof SearchFilter.Has h) {
                caller.require(h.sourceType(), Interaction.SEARCH);
            }
        }
        for (Include inc : query.includes()) {
            caller.require(inc.sourceType(), Interaction.SEARCH);
            // the same types the include may return (store/Include.targetTypes): one list for both
            inc.targetTypes().forEach(t -> caller.require(t, Interaction.SEARCH));
        }
        for (Include inc : query.revIncludes()) {
            caller.require(inc.sourceType(), Interaction.SEARCH);
        }
    }
}
