package org.concilium.fhir;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.concilium.security.Caller;
import org.concilium.security.InsufficientScopeException;
import org.concilium.security.Interaction;
import org.concilium.store.FhirJson;
import org.concilium.store.InvalidSearchException;
import org.concilium.store.ResourceStore;
import org.concilium.store.ResourceWriter;
import org.concilium.store.SearchParameterCatalog;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoreException;
import org.concilium.store.StoredResource;
import org.concilium.store.TransactionReceipts;
import org.concilium.store.WriteLocks;
import org.concilium.store.WriteResult;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Processes transaction Bundles (all-or-nothing in one database transaction, urn:uuid references
 * rewritten to assigned ids, conditional creates) and batch Bundles (each entry on its own).
 */
@ApplicationScoped
public class BundleProcessor {

    @Inject
    ResourceStore store;
    @ConfigProperty(name = "concilium.fhir.default-page-size")
    int pageSize;
    @Inject
    ValidationSettings validation;

    public Uni<Bundle> process(Bundle bundle, String base, Caller caller) {
        if (bundle.getType() == Bundle.BundleType.TRANSACTION) {
            return transaction(bundle, base, caller);
        }
        if (bundle.getType() == Bundle.BundleType.BATCH) {
            return batch(bundle, base, caller);
        }
        throw FhirException.unprocessable("only transaction and batch Bundles can be posted to the base, got "
                + (bundle.getType() == null ? "no type" : bundle.getType().toCode()), "Bundle.type");
    }

    private Uni<Bundle> transaction(Bundle bundle, String base, Caller caller) {
        List<PlannedEntry> plan = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        java.util.Set<String> fullUrls = new java.util.HashSet<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            PlannedEntry p = PlannedEntry.of(i, bundle.getEntry().get(i), validation.policy());
            authorize(caller, p); // one refused entry refuses the whole transaction
            if (p.fullUrl != null && p.resource != null && !fullUrls.add(p.fullUrl)) {
                // R4 bdl-7: a reference to it would name two resources
                throw p.error(FhirException.badRequest("fullUrl " + p.fullUrl + " is used by more than one entry"));
            }
            plan.add(p);
            p.registerId(ids);
        }
        refuseDuplicateIdentities(plan);
        String key = idempotencyKey(bundle);
        if (key == null) {
            return store.inTransaction(w -> apply(w, plan, ids, base));
        }
        return store.inTransaction(w -> TransactionReceipts.claim(w, key).flatMap(fresh -> fresh
                ? apply(w, plan, ids, base).call(b -> TransactionReceipts.record(w, key, FhirJson.encode(b)))
                : TransactionReceipts.response(w, key).map(BundleProcessor::replayed)));
    }

    private Uni<Bundle> apply(ResourceWriter w, List<PlannedEntry> plan, Map<String, String> ids, String base) {
        return w.lock(writeLocks(plan)).flatMap(x -> resolveConditionals(w, plan, ids))
                .flatMap(x -> resolveConditionalWrites(w, plan, ids))
                .invoke(() -> refuseDuplicateIdentities(plan))
                .flatMap(x -> ConditionalReferences.resolve(w, plan, ids))
                .invoke(() -> plan.forEach(p -> p.rewriteReferences(ids)))
                .flatMap(x -> run(w, plan, HTTPVerb.DELETE, base))
                .flatMap(x -> createAll(w, plan))
                .flatMap(x -> run(w, plan, HTTPVerb.PUT, base))
                .flatMap(x -> run(w, plan, HTTPVerb.GET, base))
                .map(x -> response(Bundle.BundleType.TRANSACTIONRESPONSE, plan));
    }

    /** Bundle.identifier in {@link TransactionReceipts#SYSTEM}: the transaction is applied once per value. */
    private static String idempotencyKey(Bundle bundle) {
        if (!bundle.hasIdentifier() || !TransactionReceipts.SYSTEM.equals(bundle.getIdentifier().getSystem())) {
            return null;
        }
        String key = bundle.getIdentifier().getValue();
        if (key == null || key.isBlank() || key.length() > TransactionReceipts.MAX_KEY_LENGTH) {
            throw FhirException.badRequest("a transaction key (Bundle.identifier in " + TransactionReceipts.SYSTEM
                    + ") must have a value of 1 to " + TransactionReceipts.MAX_KEY_LENGTH + " characters");
        }
        return key;
    }

    /** The answer the first time, tagged so a client can tell its transaction had already been applied. */
    private static Bundle replayed(String json) {
        Bundle b = FhirJson.parse(Bundle.class, json);
        b.getMeta().addTag(TransactionReceipts.SYSTEM, TransactionReceipts.REPLAYED, "already applied; nothing written again");
        return b;
    }

    /** R4: a transaction may not act twice on one resource (its outcome would depend on order). */
    private static void refuseDuplicateIdentities(List<PlannedEntry> plan) {
        Map<String, Integer> seen = new HashMap<>();
        for (PlannedEntry p : plan) {
            String identity = p.id != null && p.method != HTTPVerb.GET ? p.type + "/" + p.id : null;
            if (identity != null && seen.putIfAbsent(identity, p.index) != null) {
                throw p.error(FhirException.badRequest("the transaction already acts on " + identity + " in entry "
                        + seen.get(identity)));
            }
        }
    }

    private Uni<Bundle> batch(Bundle bundle, String base, Caller caller) {
        List<PlannedEntry> plan = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            PlannedEntry p;
            try {
                p = PlannedEntry.of(i, bundle.getEntry().get(i), validation.policy());
                authorize(caller, p);
            } catch (FhirException e) {
                p = PlannedEntry.failed(i, e);
            }
            plan.add(p);
        }
        return Multi.createFrom().iterable(plan).onItem().transformToUniAndConcatenate(p -> {
            if (p.outcome != null) {
                return Uni.createFrom().item(p);
            }
            Map<String, String> ids = new HashMap<>();
            p.registerId(ids);
            return store.inTransaction(w -> w.lock(writeLocks(List.of(p))).flatMap(x -> resolveConditionals(w, List.of(p), ids))
                    .flatMap(x -> resolveConditionalWrites(w, List.of(p), ids))
                    .flatMap(x -> p.method == HTTPVerb.POST ? createAll(w, List.of(p)) : execute(w, p, base)))
                    .replaceWith(p)
                    .onFailure().recoverWithItem(e -> p.fail(e));
        }).collect().asList().map(done -> response(Bundle.BundleType.BATCHRESPONSE, plan));
    }

    /** Every id the entries write and every conditional-create criteria, taken up front in one order. */
    private static List<String> writeLocks(List<PlannedEntry> plan) {
        List<String> keys = new ArrayList<>();
        for (PlannedEntry p : plan) {
            if (p.ifNoneExist != null) {
                keys.add(WriteLocks.conditional(p.type, ConditionalCreate.parseQuery(p.ifNoneExist)));
            }
            if ((p.method == HTTPVerb.PUT || p.method == HTTPVerb.DELETE) && p.id != null) {
                keys.add(p.type + "/" + p.id);
            }
            if (p.conditionalWrite()) {
                keys.add(WriteLocks.conditional(p.type, ConditionalCreate.parseQuery(p.query)));
            }
        }
        return keys;
    }

    private Uni<Void> resolveConditionals(ResourceWriter w, List<PlannedEntry> plan, Map<String, String> ids) {
        List<PlannedEntry> conditional = plan.stream().filter(p -> p.ifNoneExist != null).toList();
        return Multi.createFrom().iterable(conditional).onItem().transformToUniAndConcatenate(p -> {
            SearchQuery q = SearchQuery.parse(p.type, ConditionalCreate.parseQuery(p.ifNoneExist), pageSize, pageSize);
            if (!q.unknown().isEmpty() || q.filters().isEmpty()) {
                throw p.error(FhirException.badRequest("ifNoneExist must use supported search parameters, got '"
                        + p.ifNoneExist + "'"));
            }
            return w.search(q).invoke(page -> {
                if (page.matches().size() > 1) {
                    throw new StoreException(StoreException.Reason.MULTIPLE_MATCHES, "Bundle.entry[" + p.index
                            + "]: ifNoneExist '" + p.ifNoneExist + "' matches more than one resource");
                }
                if (page.matches().size() == 1) {
                    p.existing = page.matches().get(0);
                    p.resource.setId(p.existing.id());
                    if (p.fullUrl != null) {
                        ids.put(p.fullUrl, p.type + "/" + p.existing.id());
                    }
                }
            });
        }).collect().asList().replaceWithVoid();
    }

    /** PUT/DELETE Type?criteria: each entry's criteria name its target (none, one, or 412 for several). */
    private static Uni<Void> resolveConditionalWrites(ResourceWriter w, List<PlannedEntry> plan,
            Map<String, String> ids) {
        List<PlannedEntry> conditional = plan.stream().filter(PlannedEntry::conditionalWrite).toList();
        return Multi.createFrom().iterable(conditional).onItem().transformToUniAndConcatenate(p -> {
            String what = "Bundle.entry[" + p.index + "]: conditional " + (p.method == HTTPVerb.PUT ? "update" : "delete");
            return ConditionalWrites.target(w, p.type, ConditionalCreate.parseQuery(p.query), what).invoke(matched -> {
                if (p.method == HTTPVerb.DELETE) {
                    p.id = matched;
                    return;
                }
                String bodyId = p.fullUrl != null && p.fullUrl.startsWith("urn:") ? null
                        : p.resource.getIdElement().getIdPart();
                try {
                    p.id = ConditionalWrites.updateId(p.type, matched, bodyId);
                } catch (FhirException e) {
                    throw p.error(e);
                }
                p.resource.setId(p.id);
                if (p.fullUrl != null) {
                    ids.put(p.fullUrl, p.type + "/" + p.id);
                }
            });
        }).collect().asList().replaceWithVoid();
    }

    private Uni<Void> createAll(ResourceWriter w, List<PlannedEntry> plan) {
        List<PlannedEntry> creates = plan.stream().filter(p -> p.method == HTTPVerb.POST && p.existing == null).toList();
        return w.createAll(creates.stream().map(p -> p.resource).toList()).invoke(stored -> {
            for (int i = 0; i < creates.size(); i++) {
                creates.get(i).done(stored.get(i), true);
            }
            plan.stream().filter(p -> p.method == HTTPVerb.POST && p.existing != null)
                    .forEach(p -> p.done(p.existing, false));
        }).replaceWithVoid();
    }

    private Uni<Void> run(ResourceWriter w, List<PlannedEntry> plan, HTTPVerb method, String base) {
        return Multi.createFrom().iterable(plan.stream().filter(p -> p.method == method).toList())
                .onItem().transformToUniAndConcatenate(p -> execute(w, p, base)).collect().asList().replaceWithVoid();
    }

    private Uni<Void> execute(ResourceWriter w, PlannedEntry p, String base) {
        return switch (p.method) {
            case PUT -> w.update(p.resource, p.ifMatch).invoke((WriteResult r) -> p.done(r.stored(), r.created()))
                    .replaceWithVoid();
            case DELETE -> p.id == null ? Uni.createFrom().voidItem().invoke(p::deleted)
                    : w.delete(p.type, p.id, p.ifMatch).invoke(d -> p.deleted()).replaceWithVoid();
            case GET -> p.id != null
                    ? store.read(p.type, p.id).invoke(p::read).replaceWithVoid()
                    : searchEntry(w, p, base);
            default -> throw p.error(FhirException.notSupported("method " + p.method + " is not supported in Bundles"));
        };
    }

    /** A GET Type?query entry: its searchset Bundle (first page; links carry the cursor) becomes the entry's resource. */
    private Uni<Void> searchEntry(ResourceWriter w, PlannedEntry p, String base) {
        SearchQuery q = p.searchQuery(pageSize);
        jakarta.ws.rs.core.MultivaluedMap<String, String> params = new jakarta.ws.rs.core.MultivaluedHashMap<>();
        ConditionalCreate.parseQuery(p.query).forEach(params::addAll);
        return w.search(q).invoke(page -> p.searched(SearchBundles.searchset(base, p.type, q, params, page, null)))
                .replaceWithVoid();
    }

    private static Bundle response(Bundle.BundleType type, List<PlannedEntry> plan) {
        Bundle out = new Bundle().setType(type);
        for (PlannedEntry p : plan) {
            BundleEntryComponent e = out.addEntry();
            e.getResponse().setStatus(p.status);
            if (p.stored != null) {
                e.getResponse().setLocation(p.stored.versionedReference())
                        .setEtag("W/\"" + p.stored.version() + "\"").setLastModified(Date.from(p.stored.lastUpdated()));
                if (p.method == HTTPVerb.GET) {
                    e.setResource(FhirJson.parse(Resource.class, p.stored.json()));
                }
            }
            if (p.searchset != null) {
                e.setResource(FhirJson.parse(Bundle.class, p.searchset));
            }
            if (p.outcome != null) {
                e.getResponse().setOutcome(p.outcome);
            } else if (!p.warnings.isEmpty()) {
                OperationOutcome warnings = new OperationOutcome();
                p.warnings.forEach(w -> warnings.addIssue(w.copy()));
                e.getResponse().setOutcome(warnings);
            }
        }
        return out;
    }

    /** The interaction each entry performs must be in the caller's scopes: 403 for the entry otherwise. */
    private void authorize(Caller caller, PlannedEntry p) {
        List<Interaction> needed = switch (p.method) {
            case POST -> p.ifNoneExist != null ? List.of(Interaction.CREATE, Interaction.SEARCH)
                    : List.of(Interaction.CREATE);
            case PUT -> p.conditionalWrite() ? List.of(Interaction.UPDATE, Interaction.SEARCH)
                    : List.of(Interaction.UPDATE);
            case DELETE -> p.conditionalWrite() ? List.of(Interaction.DELETE, Interaction.SEARCH)
                    : List.of(Interaction.DELETE);
            case GET -> List.of(p.id != null ? Interaction.READ : Interaction.SEARCH);
            default -> List.of();
        };
        if (p.method != HTTPVerb.GET) {
            try {
                ResourceRules.requireWritable(p.type);
            } catch (FhirException e) {
                throw p.error(e);
            }
        }
        try {
            needed.forEach(i -> caller.require(p.type, i));
            if (p.method == HTTPVerb.GET && p.id == null) {
                SearchScopes.require(caller, p.searchQuery(pageSize)); // chains, _has and includes touch other types
            }
            authorizeCriteria(caller, p);
        } catch (InsufficientScopeException e) {
            throw p.error(new FhirException(403, org.hl7.fhir.r4.model.OperationOutcome.IssueType.FORBIDDEN,
                    e.getMessage(), "Bundle.entry[" + p.index + "].request"));
        }
    }

    /** Conditional criteria and conditional references are searches: see {@link SearchScopes#requireCriteria}. */
    private static void authorizeCriteria(Caller caller, PlannedEntry p) {
        try {
            if (p.ifNoneExist != null) {
                SearchScopes.requireCriteria(caller, p.type, ConditionalCreate.parseQuery(p.ifNoneExist));
            }
            if (p.conditionalWrite()) {
                SearchScopes.requireCriteria(caller, p.type, ConditionalCreate.parseQuery(p.query));
            }
            if (p.resource == null) {
                return;
            }
            for (Reference ref : references(p.resource)) { // resolving one answers whether it matches
                String target = ref.getReference();
                if (target != null && ConditionalReferences.isConditional(target)) {
                    String type = target.substring(0, target.indexOf('?'));
                    if (SearchParameterCatalog.supports(type)) {
                        SearchScopes.requireCriteria(caller, type, ConditionalCreate.parseQuery(target));
                    }
                }
            }
        } catch (InvalidSearchException e) {
            throw p.error(FhirException.badRequest(e.getMessage()));
        } catch (FhirException e) {
            throw p.error(e);
        }
    }

    static List<Reference> references(Resource r) {
        return FhirJson.context().newTerser().getAllPopulatedChildElementsOfType(r, Reference.class);
    }
}
