package org.concilium.fhir;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.concilium.security.Caller;
import org.concilium.store.InvalidSearchException;
import org.concilium.store.ResourceWriter;
import org.concilium.store.SearchParameterCatalog;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoreException;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Resolves conditional references ({@code Practitioner?identifier=urn:npi|123}, as current Synthea
 * writes them) in a transaction's entries and in a plain create or update (HAPI's JPA server does
 * the same, "inline match URL references"): each distinct one is searched once inside the write's
 * database transaction; exactly one match rewrites it to Type/id, none is a 404 and several a 412,
 * naming the reference (and in a transaction the entry). Resolving one tells whether it matches,
 * so the caller needs search scope on every type it reaches ({@link #authorize}).
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
            for (String target : targets(p.resource)) {
                if (!ids.containsKey(target)) {
                    firstUse.putIfAbsent(target, p);
                }
            }
        }
        return Multi.createFrom().iterable(firstUse.entrySet()).onItem().transformToUniAndConcatenate(e -> {
            PlannedEntry p = e.getValue();
            return match(w, e.getKey(), p::error, "Bundle.entry[" + p.index + "]: ")
                    .invoke(literal -> ids.put(e.getKey(), literal));
        }).collect().asList().replaceWithVoid();
    }

    /** Rewrites the conditional references of one resource (a plain create or update) to the single match of each. */
    static Uni<Void> resolve(ResourceWriter w, Resource resource) {
        Set<String> targets = targets(resource);
        if (targets.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, String> literals = new LinkedHashMap<>();
        return Multi.createFrom().iterable(targets).onItem().transformToUniAndConcatenate(target ->
                match(w, target, UnaryOperator.identity(), "").invoke(literal -> literals.put(target, literal)))
                .collect().asList().invoke(x -> {
                    for (Reference ref : BundleProcessor.references(resource)) {
                        String literal = ref.getReference() == null ? null : literals.get(ref.getReference());
                        if (literal != null) {
                            ref.setReference(literal);
                        }
                    }
                }).replaceWithVoid();
    }

    /** A plain write's conditional references are searches: search scope on each type they reach, else 403. */
    static void authorize(Caller caller, Resource resource) {
        try {
            for (String target : targets(resource)) {
                String type = target.substring(0, target.indexOf('?'));
                if (SearchParameterCatalog.supports(type)) {
                    SearchScopes.requireCriteria(caller, type, ConditionalCreate.parseQuery(target));
                }
            }
        } catch (InvalidSearchException e) {
            throw FhirException.badRequest(e.getMessage());
        }
    }

    /** The distinct conditional references of a resource, in document order. */
    private static Set<String> targets(Resource resource) {
        Set<String> out = new LinkedHashSet<>();
        for (Reference ref : BundleProcessor.references(resource)) {
            String target = ref.getReference();
            if (target != null && isConditional(target)) {
                out.add(target);
            }
        }
        return out;
    }

    /** Type/id of the single match of {@code target}; {@code wrap} and {@code where} name the entry in a transaction. */
    private static Uni<String> match(ResourceWriter w, String target, UnaryOperator<FhirException> wrap, String where) {
        String type = target.substring(0, target.indexOf('?'));
        if (!SearchParameterCatalog.supports(type)) {
            throw wrap.apply(FhirException.notFound("conditional reference '" + target + "': " + type
                    + " is not a type this server stores"));
        }
        SearchQuery q = SearchQuery.parse(type, ConditionalCreate.parseQuery(target), 2, 2);
        if (!q.unknown().isEmpty() || q.filters().isEmpty()) {
            throw wrap.apply(FhirException.badRequest("conditional reference '" + target
                    + "' must use supported search parameters"));
        }
        return w.search(q).map(page -> {
            if (page.matches().isEmpty()) {
                throw wrap.apply(FhirException.notFound("conditional reference '" + target + "' matches nothing"));
            }
            if (page.matches().size() > 1) {
                throw new StoreException(StoreException.Reason.MULTIPLE_MATCHES, where + "conditional reference '"
                        + target + "' matches more than one resource");
            }
            return type + "/" + page.matches().get(0).id();
        });
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
