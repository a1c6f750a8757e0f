package org.concilium.fhir;

import org.concilium.security.Caller;
import org.concilium.security.Interaction;
import org.concilium.store.Include;
import org.concilium.store.SearchFilter;
import org.concilium.store.SearchParameterCatalog;
import org.concilium.store.SearchQuery;

/**
 * A search reads more types than the one searched: chains and _has filter on other types, and
 * _include/_revinclude return them. The caller needs search scope on every one of them.
 */
final class SearchScopes {

    private SearchScopes() {
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
            if (inc.targetType() != null) {
                caller.require(inc.targetType(), Interaction.SEARCH);
            } else {
                (inc.param().targets().isEmpty() ? SearchParameterCatalog.types() : inc.param().targets()).stream()
                        .filter(SearchParameterCatalog::supports).forEach(t -> caller.require(t, Interaction.SEARCH));
            }
        }
        for (Include inc : query.revIncludes()) {
            caller.require(inc.sourceType(), Interaction.SEARCH);
        }
    }
}
