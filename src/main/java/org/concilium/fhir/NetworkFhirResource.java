package org.concilium.fhir;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.query.AsyncJob;
import org.concilium.federation.query.AsyncJobRepository;
import org.concilium.federation.NetworkUnavailableException;
import org.concilium.federation.keys.KeyCeremony;
import org.concilium.federation.query.CatalogPublisher;
import org.concilium.federation.query.NetworkReportRepository;
import org.concilium.federation.query.NetworkQueryCommand;
import org.concilium.federation.query.NetworkQueryService;
import org.concilium.federation.query.QueryAdmission;
import org.concilium.security.Scope;
import org.concilium.store.FhirJson;
import org.concilium.store.ResourceStore;
import org.concilium.store.SearchQuery;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * The network as one virtual FHIR server that only answers aggregate questions: its Measure
 * catalog, network-wide $evaluate-measure (population summaries only) and past network reports.
 */
@Path("/network/fhir")
@Consumes("*/*")
public class NetworkFhirResource {

    private static final Map<String, AsyncQuery> ASYNC = new ConcurrentHashMap<>();

    /** A query running in the background for a `Prefer: respond-async` client. */
    record AsyncQuery(String progress, MeasureReport report, RuntimeException failure, long startedNanos) {
        AsyncQuery(String progress, MeasureReport report, RuntimeException failure) {
            this(progress, report, failure, System.nanoTime());
        }
    }

    /** Finished async results are kept an hour for polling, then forgotten (the report stays stored). */
    private static void forgetOldResults() {
        long hourAgo = System.nanoTime() - java.util.concurrent.TimeUnit.HOURS.toNanos(1);
        ASYNC.values().removeIf(q -> (q.report() != null || q.failure() != null) && q.startedNanos() < hourAgo);
    }

    @Inject
    NetworkContext context;
    @Inject
    KeyCeremony ceremony;
    @Inject
    NetworkQueryService queries;
    @Inject
    QueryAdmission admission;
    @Inject
    CatalogPublisher catalog;
    @Inject
    org.concilium.federation.query.PolicyAgreement policy;
    @Inject
    NetworkReportRepository reports;
    @Inject
    AsyncJobRepository asyncJobs;
    @Inject
    RequestCaller caller;
    @Inject
    NetworkQueryAudit audit;
    @Inject
    SmartConfiguration smart;
    @Inject
    ResourceStore store;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;

    @GET
    @Path("metadata")
    public Response metadata() {
        CapabilityStatement cs = new CapabilityStatement().setStatus(Enumerations.PublicationStatus.ACTIVE)
                .setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE).setDate(new java.util.Date())
                .setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.addFormat("application/fhir+json").addFormat("application/fhir+xml");
        cs.getSoftware().setName("Concilium network");
        cs.getImplementation().setDescription("Aggregate-only view of the network: summaries, never patients");
        var rest = cs.addRest().setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION)
                .setDocumentation("publishes Measure, Library and ValueSet resources to every site");
        var measure = rest.addResource().setType("Measure");
        measure.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        measure.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
        measure.addSearchParam().setName("url").setType(Enumerations.SearchParamType.URI);
        measure.addOperation().setName("evaluate-measure")
                .setDefinition("http://concilium.org/fhir/OperationDefinition/network-evaluate-measure");
        var report = rest.addResource().setType("MeasureReport");
        report.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        report.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
        report.addSearchParam().setName("measure").setType(Enumerations.SearchParamType.REFERENCE);
        SmartConfiguration.describe(rest, base());
        return FhirResponses.resource(200, cs, format());
    }

    @GET
    @Path(".well-known/smart-configuration")
    public Response smartConfiguration() {
        return smart.document(uri);
    }

    @POST
    public Uni<Response> publish(String body) {
        caller.get().requireNetwork(Scope.NETWORK_PUBLISH);
        requireReady();
        Resource parsed = FhirFormat.parseBody(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        if (!(parsed instanceof Bundle bundle) || bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw FhirException.invalid("POST to the network base expects a transaction Bundle", parsed.fhirType());
        }
        FhirFormat format = format();
        // bench only (docs/network-protocol.md, "Publication"): the sites drop the logic compiled at the check
        boolean warmUp = !"false".equalsIgnoreCase(headers.getHeaderString("X-Concilium-Warm-Up"));
        return blocking(() -> {
            String hash = catalog.publish(bundle, warmUp);
            Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
            for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
                response.addEntry().getResponse().setStatus("200 OK")
                        .setLocation(e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart())
                        .setEtag("content-sha256-" + hash);
            }
            return FhirResponses.resource(200, response, format);
        });
    }

    @GET
    @Path("Measure")
    public Uni<Response> searchMeasures() {
        caller.get().requireNetwork(Scope.NETWORK_QUERY, Scope.NETWORK_PUBLISH);
        MultivaluedHashMap<String, String> params = new MultivaluedHashMap<>(uri.getQueryParameters());
        SearchQuery q = SearchQuery.parse("Measure", params, 50, 500);
        if (!q.unknown().isEmpty()) {
            throw FhirException.notSupported("unsupported search parameters " + q.unknown());
        }
        FhirFormat format = format();
        String base = base();
        return store.search(q).map(page -> Response.ok(format.encodeStoredJson(
                SearchBundles.searchset(base, "Measure", q, params, page, null)), format.mediaType()).build());
    }

    @GET
    @Path("Measure/{id: [A-Za-z0-9\\-.]{1,64}}")
    public Uni<Response> readMeasure(@PathParam("id") String id) {
        caller.get().requireNetwork(Scope.NETWORK_QUERY, Scope.NETWORK_PUBLISH);
        FhirFormat format = format();
        return store.read("Measure", id).map(s -> Response.ok(format.encodeStoredJson(s.json()), format.mediaType())
                .build());
    }

    @GET
    @Path("Measure/{id}/$evaluate-measure")
    public Uni<Response> evaluateGet(@PathParam("id") String id) {
        return evaluate("Measure/" + id, OperationParameters.fromQuery(uri.getQueryParameters()));
    }

    @POST
    @Path("Measure/{id}/$evaluate-measure")
    public Uni<Response> evaluatePost(@PathParam("id") String id, String body) {
        caller.get().requireNetwork(Scope.NETWORK_QUERY); // before the body is even parsed
        return evaluate("Measure/" + id, OperationParameters.fromBody(body,
                headers.getHeaderString(HttpHeaders.CONTENT_TYPE), uri.getQueryParameters()));
    }

    @GET
    @Path("Measure/$evaluate-measure")
    public Uni<Response> evaluateTypeGet() {
        return evaluate(null, OperationParameters.fromQuery(uri.getQueryParameters()));
    }

    @POST
    @Path("Measure/$evaluate-measure")
    public Uni<Response> evaluateTypePost(String body) {
        caller.get().requireNetwork(Scope.NETWORK_QUERY);
        return evaluate(null, OperationParameters.fromBody(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                uri.getQueryParameters()));
    }

    private Uni<Response> evaluate(String measureFromUrl, Map<String, String> p) {
        // the querier, whose privacy budget the query spends, is the authenticated client
        String querier = caller.get().clientId();
        caller.get().requireNetwork(Scope.NETWORK_QUERY);
        if (p.containsKey("subject") || p.containsKey("practitioner")) {
            throw FhirException.unprocessable("the network answers aggregate questions only: 'subject' and"
                    + " 'practitioner' would single out patients, so they are refused", "Parameters.parameter");
        }
        String type = p.getOrDefault("reportType", "population");
        if (!type.equals("population")) {
            throw FhirException.unprocessable("the network returns population (summary) reports only; reportType '"
                    + type + "' would disclose individual results", "Parameters.parameter.where(name='reportType')");
        }
        String measure = measureFromUrl != null ? measureFromUrl : p.get("measure");
        if (measure == null || measure.isBlank()) {
            throw FhirException.invalid("a 'measure' parameter is required", "Parameters.parameter.where(name='measure')");
        }
        if (p.get("periodStart") == null || p.get("periodEnd") == null) {
            throw FhirException.invalid("periodStart and periodEnd are required", "Parameters.parameter");
        }
        // typed and validated here, before the query is admitted and any budget is touched
        NetworkQueryCommand command = NetworkQueryCommand.parse(querier, measure, p.get("periodStart"), p.get("periodEnd"));
        requireReady();
        FhirFormat format = format();
        String auditPath = uri.getPath();
        String prefer = headers.getHeaderString("Prefer");
        if (prefer != null && prefer.contains("respond-async")) {
            forgetOldResults();
            String id = UUID.randomUUID().toString();
            String location = base() + "/_async/" + id;
            QueryAdmission.Ticket ticket = admission.admit();
            return blocking(() -> {
                // persisted so that the status URL can say ABORTED, not "unknown", after a restart
                asyncJobs.started(id);
                ASYNC.put(id, new AsyncQuery("started", null, null));
                Infrastructure.getDefaultWorkerPool().execute(() -> {
                    MeasureReport r;
                    try (ticket) {
                        r = audit.run(command, auditPath, () -> queries.evaluate(command,
                                step -> ASYNC.put(id, new AsyncQuery(step, null, null))));
                    } catch (RuntimeException e) {
                        ASYNC.put(id, new AsyncQuery("failed", null, e));
                        asyncJobs.finished(id, AsyncJob.State.FAILED, null);
                        return;
                    }
                    ASYNC.put(id, new AsyncQuery("done", r, null));
                    asyncJobs.finished(id, AsyncJob.State.DONE, r.getIdElement().getIdPart());
                });
                return Response.accepted().header("Content-Location", location).header("X-Progress", "started").build();
            }).onFailure().invoke(e -> ticket.close());
        }
        QueryAdmission.Ticket ticket = admission.admit();
        return blocking(() -> {
            try (ticket) {
                return FhirResponses.resource(200, audit.run(command, auditPath,
                        () -> queries.evaluate(command, step -> { })), format);
            }
        }).onCancellation().invoke(ticket::close);
    }

    @GET
    @Path("_async/{id}")
    public Response poll(@PathParam("id") String id) {
        caller.get().requireNetwork(Scope.NETWORK_QUERY);
        AsyncQuery q = ASYNC.get(id);
        if (q == null) {
            return pollStored(id);
        }
        if (q.failure() != null) {
            ASYNC.remove(id);
            throw q.failure();
        }
        if (q.report() == null) {
            return Response.accepted().header("X-Progress", q.progress()).build();
        }
        return FhirResponses.resource(200, q.report(), format());
    }

    /** A request this process does not hold in memory: it ran before a restart (or on another replica). */
    private Response pollStored(String id) {
        AsyncJob row = asyncJobs.job(id).orElseThrow(() -> FhirException.notFound("no asynchronous request " + id));
        return switch (row.state()) {
            case RUNNING -> Response.accepted().header("X-Progress", "running").build();
            case DONE -> Response.ok(format().encodeStoredJson(reports.report(row.reportId()).orElseThrow()),
                    format().mediaType()).build();
            case ABORTED -> throw new FhirException(503, OperationOutcome.IssueType.TRANSIENT, "the network query"
                    + " was ABORTED (" + row.detail() + "); no result was released; submit it again", null);
            default -> throw FhirException.notFound("no asynchronous request " + id + " (its failure was reported)");
        };
    }

    @GET
    @Path("MeasureReport/{id: [A-Za-z0-9\\-.]{1,64}}")
    public Uni<Response> readReport(@PathParam("id") String id) {
        caller.get().requireNetwork(Scope.NETWORK_QUERY);
        FhirFormat format = format();
        return blocking(() -> reports.report(id).map(json -> Response.ok(format.encodeStoredJson(json),
                format.mediaType()).build()).orElseThrow(() -> FhirException.notFound("no network MeasureReport " + id)));
    }

    @GET
    @Path("MeasureReport")
    public Uni<Response> searchReports() {
        caller.get().requireNetwork(Scope.NETWORK_QUERY);
        String measure = uri.getQueryParameters().getFirst("measure");
        FhirFormat format = format();
        return blocking(() -> {
            List<String> found = reports.reports(measure == null ? null : measure.replaceAll("\\|.*", ""), 100);
            Bundle b = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(found.size());
            found.forEach(json -> {
                Resource r = FhirJson.parse(MeasureReport.class, json);
                b.addEntry().setFullUrl(base() + "/MeasureReport/" + r.getIdElement().getIdPart()).setResource(r)
                        .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
            });
            return FhirResponses.resource(200, b, format);
        });
    }

    private void requireReady() {
        if (!context.enabled()) {
            throw new NetworkUnavailableException("this node is not part of a network");
        }
        if (!ceremony.ready()) {
            throw new NetworkUnavailableException("the network is not ready yet: the collective key is not agreed");
        }
        if (!policy.ready()) {
            throw new NetworkUnavailableException("the network is not ready: not every site states this site's privacy"
                    + " policy (" + context.require().descriptor().privacy().hash() + ")");
        }
    }

    private static Uni<Response> blocking(java.util.function.Supplier<Response> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private FhirFormat format() {
        return FhirFormat.negotiate(headers, uri.getQueryParameters());
    }

    private String base() {
        String b = uri.getBaseUri().toString();
        return (b.endsWith("/") ? b : b + "/") + "network/fhir";
    }
}
