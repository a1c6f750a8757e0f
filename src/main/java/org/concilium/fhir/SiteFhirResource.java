package org.concilium.fhir;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.concilium.store.ResourceStore;
import org.concilium.store.SearchFilter;
import org.concilium.store.SearchParameterCatalog;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoredResource;
import org.concilium.store.WriteResult;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.concilium.security.Interaction;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/** This site's own FHIR R4 server: CRUD, history, search and Bundles over the resource store. */
@Path("/fhir")
@Consumes("*/*")
public class SiteFhirResource {

    static final String TYPE = "{type: [A-Z][A-Za-z]+}";
    static final String ID = "{id: [A-Za-z0-9\\-.]{1,64}}";

    @Inject
    LibraryLogicCheck libraryLogic;
    @Inject
    ResourceStore store;
    @Inject
    BundleProcessor bundles;
    @Inject
    CapabilityStatementFactory capabilities;
    @Inject
    ValidationSettings validation;
    @Inject
    SmartConfiguration smart;
    @Inject
    RequestCaller caller;
    @Inject
    AuditNote auditNote;
    @Inject
    SearchLimits limits;
    @ConfigProperty(name = "concilium.fhir.default-page-size")
    int defaultPageSize;
    @ConfigProperty(name = "concilium.fhir.max-page-size")
    int maxPageSize;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;

    @GET
    @Path("metadata")
    public Response metadata() {
        CapabilityStatement cs = capabilities.get().copy();
        String base = uri.getBaseUri().toString();
        SmartConfiguration.describe(cs.getRestFirstRep(), (base.endsWith("/") ? base : base + "/") + "fhir");
        return FhirResponses.resource(200, cs, format());
    }

    @GET
    @Path(".well-known/smart-configuration")
    public Response smartConfiguration() {
        return smart.document(uri);
    }

    @POST
    public Uni<Response> bundle(String body) {
        Resource parsed = FhirFormat.parseBody(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                validation.policy());
        if (!(parsed instanceof Bundle bundle)) {
            throw FhirException.invalid("POST to the base expects a transaction or batch Bundle, got "
                    + parsed.fhirType(), parsed.fhirType());
        }
        // how much a load brought (the dashboard's "recent loads"), in the audit trail: a count, no content
        auditNote.set((bundle.hasType() ? bundle.getType().toCode() : "untyped Bundle") + " of " + bundle.getEntry().size() + " entries");
        return bundles.process(bundle, base(), caller.get()).map(result -> FhirResponses.resource(200, result, format()));
    }

    @GET
    @Path(TYPE)
    public Uni<Response> search(@PathParam("type") String type) {
        return search(type, uri.getQueryParameters());
    }

    @POST
    @Path(TYPE + "/_search")
    @Consumes("application/x-www-form-urlencoded")
    public Uni<Response> searchPost(@PathParam("type") String type, String body) {
        MultivaluedMap<String, String> form;
        try {
            form = FormBody.parse(body);
        } catch (IllegalArgumentException e) {
            throw FhirException.badRequest("the _search body is not valid application/x-www-form-urlencoded");
        }
        TextRules.check(form, "a search parameter");
        MultivaluedMap<String, String> all = new MultivaluedHashMap<>(uri.getQueryParameters());
        form.forEach((k, v) -> all.addAll(k, v));
        return search(type, all);
    }

    /** Patient/[id]/[type]: a search restricted to the Patient's compartment (R4 CompartmentDefinition). */
    @GET
    @Path("Patient/{id}/{ctype}") // one template for both: the router does not backtrack between sibling regexes
    public Uni<Response> compartment(@PathParam("id") String id, @PathParam("ctype") String type) {
        if (!id.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw FhirException.notFound("Patient/" + id + " is not known");
        }
        if (type.equals("$everything")) {
            return everything(id);
        }
        if (type.equals("_history")) {
            return history("Patient", id);
        }
        ResourceRules.requireSupportedType(type);
        if (SearchParameterCatalog.patientCompartment(type).isEmpty()) {
            throw FhirException.notFound(type + " is not in the Patient compartment");
        }
        return search(type, "Patient/" + id + "/" + type, uri.getQueryParameters(),
                new SearchFilter.InPatientCompartment(id));
    }

    /** Patient/[id]/$everything with _since, _type, _count and cursor paging. */
    private Uni<Response> everything(String id) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        List<String> types = new ArrayList<>();
        for (String t : params.getOrDefault("_type", List.of())) {
            for (String one : t.split(",")) {
                ResourceRules.requireSupportedType(one.trim());
                types.add(one.trim());
            }
        }
        java.time.Instant since = null;
        if (params.getFirst("_since") != null) {
            try {
                since = org.concilium.store.DateRange.parseInstant(params.getFirst("_since"));
            } catch (IllegalArgumentException e) {
                throw FhirException.badRequest("_since must be an instant, got '" + params.getFirst("_since") + "'");
            }
        }
        for (String name : params.keySet()) {
            if (!List.of("_type", "_since", "_count", "_cursor", "_format", "_pretty").contains(name)) {
                throw FhirException.notSupported("$everything does not support '" + name + "'");
            }
        }
        SearchQuery shape = SearchQuery.parse("Patient", Map.of("_count", params.getOrDefault("_count", List.of()),
                "_cursor", params.getOrDefault("_cursor", List.of())), defaultPageSize, maxPageSize);
        if (types.isEmpty()) {
            // the patient's record, not the record of who read it: AuditEvents only when _type asks for them
            SearchParameterCatalog.types().stream().filter(t -> !t.equals("AuditEvent")).forEach(types::add);
        }
        caller.get().require("Patient", Interaction.READ);
        for (String t : types) {
            if (t.equals("Patient") || !SearchParameterCatalog.patientCompartment(t).isEmpty()) {
                caller.get().require(t, Interaction.SEARCH);
            }
        }
        FhirFormat format = format();
        java.time.Instant from = since;
        return store.read("Patient", id).flatMap(patient -> store.everything(id, types, from, shape.count(),
                shape.cursor())).map(page -> Response.ok(format.encodeStoredJson(SearchBundles.searchset(base(),
                        "Patient/" + id + "/$everything", shape, params, page, null)), format.mediaType()).build());
    }

    private Uni<Response> search(String type, MultivaluedMap<String, String> params) {
        return search(type, type, params, null);
    }

    private Uni<Response> search(String type, String path, MultivaluedMap<String, String> params, SearchFilter scope) {
        ResourceRules.requireSupportedType(type);
        caller.get().require(type, Interaction.SEARCH);
        limits.check(params);
        SearchQuery parsed = SearchQuery.parse(type, params, defaultPageSize, maxPageSize);
        SearchQuery query = scope == null ? parsed : parsed.and(scope);
        SearchScopes.require(caller.get(), query);
        OperationOutcome warning = null;
        if (!query.unknown().isEmpty()) {
            String message = "unknown search parameters for " + type + ": " + String.join(", ", query.unknown());
            if (strictHandling()) {
                throw FhirException.notSupported(message);
            }
            warning = OperationOutcomes.issue(OperationOutcome.IssueSeverity.WARNING,
                    OperationOutcome.IssueType.NOTSUPPORTED, message + " (ignored)", null, null);
        }
        OperationOutcome outcome = warning;
        FhirFormat format = format();
        return store.search(query).map(page -> {
            String json = SearchBundles.searchset(base(), path, query, params, page, outcome);
            return Response.ok(format.encodeStoredJson(json), format.mediaType()).build();
        });
    }

    @POST
    @Path(TYPE)
    public Uni<Response> create(@PathParam("type") String type, String body) {
        ResourceRules.requireSupportedType(type);
        caller.get().require(type, Interaction.CREATE);
        ResourceRules.requireWritable(type);
        String ifNoneExist = headers.getHeaderString("If-None-Exist");
        if (ifNoneExist != null) {
            // the answer tells whether a match exists, also for the types a chain or _has reaches
            SearchScopes.requireCriteria(caller.get(), type, ConditionalCreate.parseQuery(ifNoneExist));
        }
        Resource resource = FhirFormat.parseBody(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                validation.policy());
        var checked = ResourceRules.check(resource, type, validation.policy());
        ConditionalReferences.authorize(caller.get(), resource);
        FhirFormat format = format();
        String base = base();
        var prefer = FhirResponses.prefer(headers);
        return libraryLogic.check(resource, validation.policy(), checked).flatMap(warnings -> store.inTransaction(
                        w -> ConditionalReferences.resolve(w, resource)
                                .flatMap(x -> ConditionalCreate.run(w, resource, ifNoneExist, defaultPageSize)))
                .map(r -> FhirResponses.stored(r.created() ? 201 : 200, r.stored(), format, base,
                        prefer, true, warnings)));
    }

    @GET
    @Path(TYPE + "/" + ID)
    public Uni<Response> read(@PathParam("type") String type, @PathParam("id") String id) {
        ResourceRules.requireSupportedType(type);
        caller.get().require(type, Interaction.READ);
        FhirFormat format = format();
        return store.read(type, id).map(s -> notModifiedOr(s, format));
    }

    @PUT
    @Path(TYPE + "/" + ID)
    public Uni<Response> update(@PathParam("type") String type, @PathParam("id") String id, String body) {
        ResourceRules.requireSupportedType(type);
        caller.get().require(type, Interaction.UPDATE);
        ResourceRules.requireWritable(type);
        Resource resource = FhirFormat.parseBody(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                validation.policy());
        var warnings = ResourceRules.check(resource, type, validation.policy());
        if (resource.getIdElement().getIdPart() == null || !id.equals(resource.getIdElement().getIdPart())) {
            throw FhirException.invalid("the body's id (" + resource.getIdElement().getIdPart()
                    + ") must equal the id in the URL (" + id + ")", type + ".id");
        }
        ConditionalReferences.authorize(caller.get(), resource);
        Integer ifMatch = FhirResponses.ifMatch(headers);
        FhirFormat format = format();
        String base = base();
        var prefer = FhirResponses.prefer(headers);
        return libraryLogic.check(resource, validation.policy(), warnings).flatMap(all -> store.inTransaction(
                w -> ConditionalReferences.resolve(w, resource).flatMap(x -> w.update(resource, ifMatch))).map((WriteResult r) -> FhirResponses.stored(
                r.created() ? 201 : 200, r.stored(), format, base, prefer, true, all)));
    }

    @DELETE
    @Path(TYPE + "/" + ID)
    public Uni<Response> delete(@PathParam("type") String type, @PathParam("id") String id) {
        ResourceRules.requireSupportedType(type);
        caller.get().require(type, Interaction.DELETE);
        ResourceRules.requireWritable(type);
        Integer ifMatch = FhirResponses.ifMatch(headers);
        return store.inTransaction(w -> w.delete(type, id, ifMatch)).map(deleted -> {
            Response.ResponseBuilder b = Response.noContent();
            if (deleted != null) {
                b.tag(new jakarta.ws.rs.core.EntityTag(Integer.toString(deleted.version()), true));
            }
            return b.build();
        });
    }

    /** Conditional update: PUT Type?criteria (see {@link ConditionalWrites}). */
    @PUT
    @Path(TYPE)
    public Uni<Response> conditionalUpdate(@PathParam("type") String type, String body) {
        ResourceRules.requireSupportedType(type);
        caller.get().require(type, Interaction.UPDATE);
        caller.get().require(type, Interaction.SEARCH); // the outcome tells whether a match exists
        ResourceRules.requireWritable(type);
        Map<String, List<String>> criteria = criteria();
        ConditionalWrites.criteria(type, criteria, "conditional update");
        SearchScopes.requireCriteria(caller.get(), type, criteria);
        Resource resource = FhirFormat.parseBody(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                validation.policy());
        var warnings = ResourceRules.check(resource, type, validation.policy());
        ConditionalReferences.authorize(caller.get(), resource);
        String bodyId = resource.getIdElement().getIdPart();
        Integer ifMatch = FhirResponses.ifMatch(headers);
        FhirFormat format = format();
        return store.inTransaction(w -> ConditionalReferences.resolve(w, resource)
                .flatMap(x -> ConditionalWrites.target(w, type, criteria, "conditional update"))
                .flatMap(matched -> {
                    resource.setId(ConditionalWrites.updateId(type, matched, bodyId));
                    return w.update(resource, ifMatch);
                })).map((WriteResult r) -> FhirResponses.stored(r.created() ? 201 : 200, r.stored(), format, base(),
                        FhirResponses.prefer(headers), true, warnings));
    }

    /** Conditional delete: DELETE Type?criteria; no match is a 204 like any delete of nothing, several a 412. */
    @DELETE
    @Path(TYPE)
    public Uni<Response> conditionalDelete(@PathParam("type") String type) {
        ResourceRules.requireSupportedType(type);
        caller.get().require(type, Interaction.DELETE);
        caller.get().require(type, Interaction.SEARCH);
        ResourceRules.requireWritable(type);
        Map<String, List<String>> criteria = criteria();
        ConditionalWrites.criteria(type, criteria, "conditional delete");
        SearchScopes.requireCriteria(caller.get(), type, criteria);
        return store.inTransaction(w -> ConditionalWrites.target(w, type, criteria, "conditional delete")
                .flatMap(id -> id == null ? Uni.createFrom().<org.concilium.store.StoredResource>nullItem()
                        : w.delete(type, id, null)))
                .map(deleted -> {
                    Response.ResponseBuilder b = Response.noContent();
                    if (deleted != null) {
                        b.tag(new jakarta.ws.rs.core.EntityTag(Integer.toString(deleted.version()), true));
                    }
                    return b.build();
                });
    }

    /** The query string of a conditional write, without the format parameters. */
    private Map<String, List<String>> criteria() {
        Map<String, List<String>> criteria = new java.util.LinkedHashMap<>();
        uri.getQueryParameters().forEach((k, v) -> {
            if (!k.equals("_format") && !k.equals("_pretty")) {
                TextRules.check(Map.of(k, v), "a conditional criterion");
                criteria.put(k, List.copyOf(v));
            }
        });
        return criteria;
    }

    /** System-level history: every version of every type the caller may read, newest first. */
    @GET
    @Path("_history")
    public Uni<Response> systemHistory() {
        for (String t : SearchParameterCatalog.types()) {
            caller.get().require(t, Interaction.READ);
        }
        return historyPage(null, "_history");
    }

    @GET
    @Path(TYPE + "/_history")
    public Uni<Response> typeHistory(@PathParam("type") String type) {
        ResourceRules.requireSupportedType(type);
        caller.get().require(type, Interaction.READ);
        return historyPage(type, type + "/_history");
    }

    /** _since, _at, _count and cursor paging; any other parameter is a 400. */
    private Uni<Response> historyPage(String type, String path) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        for (String name : params.keySet()) {
            if (!List.of("_since", "_at", "_count", "_cursor", "_format", "_pretty").contains(name)) {
                throw FhirException.notSupported("_history does not support '" + name + "'");
            }
        }
        java.time.Instant since = null;
        if (params.getFirst("_since") != null) {
            try {
                since = org.concilium.store.DateRange.parseInstant(params.getFirst("_since"));
            } catch (IllegalArgumentException e) {
                throw FhirException.badRequest("_since must be an instant, got '" + params.getFirst("_since") + "'");
            }
        }
        org.concilium.store.DateRange at = null;
        if (params.getFirst("_at") != null) {
            try {
                at = org.concilium.store.DateRange.parse(params.getFirst("_at"));
            } catch (IllegalArgumentException e) {
                at = null;
            }
            if (at == null) {
                throw FhirException.badRequest("_at must be a date or dateTime, got '" + params.getFirst("_at") + "'");
            }
        }
        SearchQuery shape = SearchQuery.parse(type == null ? "Patient" : type, Map.of("_count",
                params.getOrDefault("_count", List.of()), "_cursor", params.getOrDefault("_cursor", List.of())),
                defaultPageSize, maxPageSize);
        FhirFormat format = format();
        return store.history(type, since, at, shape.count(), shape.cursor()).map(page -> {
            String self = base() + "/" + path + SearchBundles.queryString(params, null);
            String next = page.next() == null ? null : base() + "/" + path + SearchBundles.queryString(params, page.next());
            return FhirResponses.resource(200, HistoryBundles.page(base(), page, self, next), format);
        });
    }

    @GET
    @Path(TYPE + "/" + ID + "/_history")
    public Uni<Response> history(@PathParam("type") String type, @PathParam("id") String id) {
        ResourceRules.requireSupportedType(type);
        caller.get().require(type, Interaction.READ);
        FhirFormat format = format();
        return store.history(type, id).map(versions -> FhirResponses.resource(200,
                HistoryBundles.of(base(), versions), format));
    }

    @GET
    @Path(TYPE + "/" + ID + "/_history/{vid}")
    public Uni<Response> vread(@PathParam("type") String type, @PathParam("id") String id,
            @PathParam("vid") String vid) {
        ResourceRules.requireSupportedType(type);
        caller.get().require(type, Interaction.READ);
        int version;
        try {
            version = Integer.parseInt(vid);
        } catch (NumberFormatException e) {
            throw FhirException.notFound(type + "/" + id + " has no version '" + vid + "'");
        }
        FhirFormat format = format();
        return store.vread(type, id, version).map(s -> FhirResponses.stored(200, s, format, base(),
                FhirResponses.Prefer.REPRESENTATION, false));
    }

    private Response notModifiedOr(StoredResource s, FhirFormat format) {
        String ifNoneMatch = headers.getHeaderString("If-None-Match");
        if (ifNoneMatch != null && ifNoneMatch.replace("W/", "").replace("\"", "").trim()
                .equals(Integer.toString(s.version()))) {
            return Response.notModified().build();
        }
        return FhirResponses.stored(200, s, format, base(), FhirResponses.Prefer.REPRESENTATION, false);
    }

    private boolean strictHandling() {
        String prefer = headers.getHeaderString("Prefer");
        return prefer != null && prefer.toLowerCase(Locale.ROOT).replace(" ", "").contains("handling=strict");
    }

    private FhirFormat format() {
        return FhirFormat.negotiate(headers, uri.getQueryParameters());
    }

    private String base() {
        String b = uri.getBaseUri().toString();
        return (b.endsWith("/") ? b : b + "/") + "fhir";
    }

}
