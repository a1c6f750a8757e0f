package org.concilium.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.concilium.bulk.BulkJob;
import org.concilium.bulk.ExportJobs;
import org.concilium.bulk.ExportRequest;
import org.concilium.security.Caller;
import org.concilium.security.Interaction;
import org.concilium.store.FhirJson;
import org.concilium.store.ResourceStore;
import org.concilium.store.SearchParameterCatalog;
import org.hl7.fhir.r4.model.Group;

/**
 * Bulk Data Access IG v2 {@code $export}: kick-off at system, Patient and Group level (202 with
 * Content-Location), the status URL (202 with X-Progress, then 200 with the manifest; DELETE
 * cancels or discards) and the NDJSON files. Only the client that kicked an export off sees it.
 * Scopes: every exported type needs read; without {@code _type}, the types the token may not read
 * are left out (a {@code _type} naming one is a 403).
 */
@Path("/fhir")
@Consumes("*/*")
public class BulkDataResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FORMATS = List.of("application/fhir+ndjson", "application/ndjson", "ndjson");
    static final String NDJSON = "application/fhir+ndjson";

    @Inject
    ExportJobs jobs;
    @Inject
    ResourceStore store;
    @Inject
    RequestCaller caller;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;

    @GET
    @Path("$export")
    @Blocking
    public Response system() {
        return kickOff(null, SearchParameterCatalog.types());
    }

    @GET
    @Path("Patient/$export")
    @Blocking
    public Response patients() {
        return kickOff(List.of(), compartmentTypes());
    }

    @GET
    @Path("Group/{id}/$export")
    @Blocking
    public Response group(@PathParam("id") String id) {
        caller.get().require("Group", Interaction.READ);
        Group group = FhirJson.parse(Group.class, store.read("Group", id).await().indefinitely().json());
        List<String> members = new ArrayList<>();
        group.getMember().forEach(m -> {
            String ref = m.getEntity().getReference();
            if (ref != null && ref.startsWith("Patient/")) {
                members.add(ref.substring("Patient/".length()));
            }
        });
        if (members.isEmpty()) {
            members.add(""); // no member: exports nothing, rather than every patient
        }
        return kickOff(members, compartmentTypes());
    }

    private static List<String> compartmentTypes() {
        return SearchParameterCatalog.types().stream()
                .filter(t -> t.equals("Patient") || !SearchParameterCatalog.patientCompartment(t).isEmpty()).toList();
    }

    private Response kickOff(List<String> patients, List<String> levelTypes) {
        Caller who = caller.get();
        String prefer = headers.getHeaderString("Prefer");
        if (prefer == null || !prefer.toLowerCase(Locale.ROOT).contains("respond-async")) {
            throw FhirException.badRequest("$export runs asynchronously: send 'Prefer: respond-async'");
        }
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        for (String name : params.keySet()) {
            if (!List.of("_type", "_since", "_typeFilter", "_outputFormat").contains(name)) {
                throw FhirException.notSupported("$export does not support '" + name + "'");
            }
        }
        String format = params.getFirst("_outputFormat");
        if (format != null && !FORMATS.contains(format)) {
            throw FhirException.badRequest("_outputFormat " + format + " is not supported; use " + NDJSON);
        }
        List<String> types = types(params, levelTypes, who);
        Instant since = null;
        if (params.getFirst("_since") != null) {
            try {
                since = org.concilium.store.DateRange.parseInstant(params.getFirst("_since"));
            } catch (IllegalArgumentException e) {
                throw FhirException.badRequest("_since must be an instant, got '" + params.getFirst("_since") + "'");
            }
        }
        BulkJob job = jobs.start(new ExportRequest(who.clientId(), uri.getRequestUri().toString(), types, since,
                patients, checked(typeFilters(params, types, who))));
        return Response.accepted().header("Content-Location", base() + "/$export-status/" + job.id()).build();
    }

    private static List<String> types(MultivaluedMap<String, String> params, List<String> levelTypes, Caller who) {
        List<String> asked = new ArrayList<>();
        for (String v : params.getOrDefault("_type", List.of())) {
            for (String t : v.split(",")) {
                String type = t.trim();
                if (!levelTypes.contains(type)) {
                    throw FhirException.badRequest("_type " + type + " cannot be exported at this level");
                }
                who.require(type, Interaction.READ);
                asked.add(type);
            }
        }
        if (!asked.isEmpty()) {
            return asked;
        }
        return levelTypes.stream().filter(t -> who.scope().permits(t, Interaction.READ)).toList();
    }

    /**
     * Each _typeFilter run now as a search of no rows (_count=0, no total: no row is read), so a value
     * the search refuses (a date out of range, :below on a system with no stored CodeSystem) is a 400
     * at the kick-off; parsing alone let such filters through and the job failed later (a 500 at the
     * status URL for bad input).
     */
    private Map<String, List<Map<String, List<String>>>> checked(Map<String, List<Map<String, List<String>>>> filters) {
        filters.forEach((type, queries) -> queries.forEach(query -> {
            Map<String, List<String>> probe = new LinkedHashMap<>(query);
            probe.put("_count", List.of("0"));
            probe.put("_total", List.of("none"));
            store.search(org.concilium.store.SearchQuery.parse(type, probe, 1, 1)).await()
                    .atMost(java.time.Duration.ofSeconds(30));
        }));
        return filters;
    }

    /** _typeFilter=Type?query (repeatable, comma-separated); each query is checked as a search now. */
    private static Map<String, List<Map<String, List<String>>>> typeFilters(MultivaluedMap<String, String> params,
            List<String> types, Caller who) {
        Map<String, List<Map<String, List<String>>>> out = new LinkedHashMap<>();
        for (String v : params.getOrDefault("_typeFilter", List.of())) {
            for (String filter : v.split(",")) {
                int q = filter.indexOf('?');
                String type = q < 0 ? filter : filter.substring(0, q);
                if (q < 0 || !types.contains(type)) {
                    throw FhirException.badRequest("_typeFilter '" + filter + "' must be Type?query for an exported type");
                }
                Map<String, List<String>> query = ConditionalCreate.parseQuery(filter);
                SearchScopes.require(who, org.concilium.store.SearchQuery.parse(type, query, 1, 1));
                ConditionalWrites.criteria(type, query, "_typeFilter");
                out.computeIfAbsent(type, k -> new ArrayList<>()).add(query);
            }
        }
        return out;
    }

    @GET
    @Path("$export-status/{job}")
    @Blocking
    public Response status(@PathParam("job") String id) {
        BulkJob job = job(id);
        return switch (job.state()) {
            case RUNNING -> Response.accepted().header("X-Progress", jobs.progress(id)
                    .orElse(BulkStatus.elsewhere(job))).header("Retry-After", "1").build();
            case FAILED -> BulkStatus.failed(job);
            default -> Response.ok(manifest(job), "application/json")
                    .header("Expires", java.util.Date.from(job.expires())).build();
        };
    }

    @DELETE
    @Path("$export-status/{job}")
    @Blocking
    public Response cancel(@PathParam("job") String id) {
        jobs.delete(job(id));
        return Response.accepted().build();
    }

    @GET
    @Path("$export-file/{job}/{file: [A-Za-z]+(-[0-9]+)?\\.ndjson}")
    @Blocking
    public Response file(@PathParam("job") String id, @PathParam("file") String file) {
        // scopes are checked at every request (a client narrowed by its administrator loses access at
        // once), so the download of a type needs read on it now, not only at the kick-off
        caller.get().require(file.replaceFirst("(-[0-9]+)?\\.ndjson$", ""), Interaction.READ);
        BulkJob job = job(id);
        if (!jobs.hasFile(job, file)) {
            throw FhirException.notFound("export " + id + " has no file " + file);
        }
        jakarta.ws.rs.core.StreamingOutput body = out -> jobs.copyFile(job, file, out);
        return Response.ok(body, NDJSON).build();
    }

    private BulkJob job(String id) {
        return jobs.find(id, caller.get().clientId())
                .orElseThrow(() -> FhirException.notFound("no export " + id + " (unknown, expired or cancelled)"));
    }

    private String manifest(BulkJob job) {
        ObjectNode m = JSON.createObjectNode();
        m.put("transactionTime", job.transactionTime().toString());
        m.put("request", job.requestUrl());
        m.put("requiresAccessToken", true);
        ArrayNode output = m.putArray("output");
        for (com.fasterxml.jackson.databind.JsonNode o : BulkStatus.outputs(job)) {
            output.addObject().put("type", o.path("type").asText())
                    .put("url", base() + "/$export-file/" + job.id() + "/" + o.path("file").asText())
                    .put("count", o.path("count").asLong());
        }
        m.putArray("error");
        return m.toString();
    }

    private String base() {
        String b = uri.getBaseUri().toString();
        return (b.endsWith("/") ? b : b + "/") + "fhir";
    }
}
