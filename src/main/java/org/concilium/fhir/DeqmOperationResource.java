package org.concilium.fhir;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.concilium.measure.deqm.CareGapsRequest;
import org.concilium.measure.deqm.DeqmService;
import org.concilium.security.Caller;
import org.concilium.security.Interaction;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

/**
 * DEQM operations on this site's store, each through the cqf-fhir-cr service that implements it
 * ({@link DeqmService}): {@code Measure/[id]/$data-requirements}, {@code Measure/$care-gaps},
 * {@code Measure/$collect-data} (type and instance level), and {@code Measure/$submit-data} (the
 * reports and resources stored as one transaction, as cqf-fhir-cr's R4SubmitDataService does,
 * through the site's own transaction path so every entry meets the caller's write scopes).
 *
 * <p>Scopes: reading the Measure and its Libraries, the subject (Patient, and Group when the
 * subject is a Group), and every stored type the measure retrieves, decided from its data
 * requirements before evaluating ({@link MeasureDataScope}), so a 403 says nothing about the
 * patient's record; an answer is refused whole, never trimmed.
 */
@Path("/fhir")
@Consumes("*/*")
public class DeqmOperationResource {

    private static final Set<String> CARE_GAPS_SINGLE = Set.of("periodStart", "periodEnd", "subject", "organization",
            "practitioner");
    private static final Set<String> CARE_GAPS_REPEATABLE = Set.of("status", "measureId", "measureUrl", "measureIdentifier");
    private static final Set<String> COLLECT_SINGLE = Set.of("periodStart", "periodEnd", "subject", "measure");
    /** Produced by the operation, not read from the store: no read scope guards them. */
    private static final Set<String> GENERATED = Set.of("Composition", "DetectedIssue", "MeasureReport");

    @Inject
    DeqmService deqm;
    @Inject
    MeasureDataScope dataScope;
    @Inject
    CareGapsAttribution attribution;
    @Inject
    BundleProcessor bundles;
    @Inject
    RequestCaller caller;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;

    @GET
    @Path("Measure/{id}/$data-requirements")
    public Uni<Response> dataRequirementsGet(@PathParam("id") String id) {
        return dataRequirements(id, OperationParameters.fromQuery(uri.getQueryParameters()));
    }

    @POST
    @Path("Measure/{id}/$data-requirements")
    public Uni<Response> dataRequirementsPost(@PathParam("id") String id, String body) {
        return dataRequirements(id, OperationParameters.fromBody(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                uri.getQueryParameters()));
    }

    private Uni<Response> dataRequirements(String id, Map<String, String> p) {
        Caller c = caller.get();
        c.require("Measure", Interaction.READ);
        c.require("Library", Interaction.READ);
        ResourceRules.requireValidId(id);
        FhirFormat format = FhirFormat.negotiate(headers, uri.getQueryParameters());
        return deqm.dataRequirements(id, p.get("periodStart"), p.get("periodEnd"))
                .map(library -> FhirResponses.resource(200, library, format));
    }

    @GET
    @Path("Measure/$care-gaps")
    public Uni<Response> careGapsGet() {
        return careGaps(null);
    }

    @POST
    @Path("Measure/$care-gaps")
    public Uni<Response> careGapsPost(String body) {
        return careGaps(body);
    }

    private Uni<Response> careGaps(String body) {
        DeqmParameters p = DeqmParameters.read("$care-gaps", CARE_GAPS_SINGLE, CARE_GAPS_REPEATABLE,
                uri.getQueryParameters(), body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        String subject = p.one("subject");
        boolean byAttribution = CareGapsAttribution.byAttribution(subject, p.one("organization"), p.one("practitioner"));
        Caller c = readsSubject(subject);
        FhirFormat format = FhirFormat.negotiate(headers, uri.getQueryParameters());
        List<String> measures = new ArrayList<>();
        p.all("measureId").forEach(m -> measures.add("Measure/" + m));
        measures.addAll(p.all("measureUrl"));
        deqm.check(CareGapsRequest.forAttributed(p.one("periodStart"), p.one("periodEnd"), List.of(), p.all("status"),
                p.all("measureId"), p.all("measureUrl"), p.all("measureIdentifier")), headers.getHeaderString("Timezone"));
        Uni<CareGapsRequest> request = byAttribution
                ? attribution.patients(c, p.one("organization"), p.one("practitioner")).map(ids -> CareGapsRequest.forAttributed(
                        p.one("periodStart"), p.one("periodEnd"), ids, p.all("status"), p.all("measureId"),
                        p.all("measureUrl"), p.all("measureIdentifier")))
                : Uni.createFrom().item(CareGapsRequest.forSubject(p.one("periodStart"), p.one("periodEnd"), subject,
                        p.all("status"), p.all("measureId"), p.all("measureUrl"), p.all("measureIdentifier")));
        return dataScope.requireReadOfRetrievedTypes(c, measures, !p.all("measureIdentifier").isEmpty())
                .flatMap(x -> request)
                .flatMap(r -> deqm.careGaps(r, base(), headers.getHeaderString("Timezone")))
                .map(result -> FhirResponses.resource(200, disclosable(c, result), format));
    }

    @GET
    @Path("Measure/$collect-data")
    public Uni<Response> collectDataGet() {
        return collectData(null, null);
    }

    @POST
    @Path("Measure/$collect-data")
    public Uni<Response> collectDataPost(String body) {
        return collectData(null, body);
    }

    @GET
    @Path("Measure/{id}/$collect-data")
    public Uni<Response> collectDataInstanceGet(@PathParam("id") String id) {
        return collectData(id, null);
    }

    @POST
    @Path("Measure/{id}/$collect-data")
    public Uni<Response> collectDataInstancePost(@PathParam("id") String id, String body) {
        return collectData(id, body);
    }

    /** {@code id}: the instance-level form names the Measure in the URL, the type level by {@code measure} (id or canonical). */
    private Uni<Response> collectData(String id, String body) {
        DeqmParameters p = DeqmParameters.read("$collect-data", COLLECT_SINGLE, Set.of(),
                uri.getQueryParameters(), body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        if (id != null && p.has("measure")) {
            throw FhirException.invalid("'measure' is given by the URL already", "Parameters.parameter.where(name='measure')");
        }
        if (id == null && !p.has("measure")) {
            throw FhirException.invalid("type-level $collect-data needs a 'measure' parameter (id or canonical url)",
                    "Parameters.parameter.where(name='measure')");
        }
        if (id != null) {
            ResourceRules.requireValidId(id);
        }
        Caller c = readsSubject(p.one("subject"));
        FhirFormat format = FhirFormat.negotiate(headers, uri.getQueryParameters());
        String measure = id != null ? "Measure/" + id : p.one("measure");
        return dataScope.requireReadOfRetrievedTypes(c, List.of(measure), false)
                .flatMap(x -> deqm.collectData(measure, p.one("periodStart"), p.one("periodEnd"), p.one("subject"),
                        headers.getHeaderString("Timezone")))
                .map(result -> FhirResponses.resource(200, disclosable(c, result), format));
    }

    /** The knowledge artifacts and the subject (a Group's members are Patients) must be readable. */
    private Caller readsSubject(String subject) {
        Caller c = caller.get();
        c.require("Measure", Interaction.READ);
        c.require("Library", Interaction.READ);
        c.require("Patient", Interaction.READ);
        if (subject != null && subject.startsWith("Group/")) {
            c.require("Group", Interaction.READ);
        }
        return c;
    }

    /**
     * A backstop after {@link MeasureDataScope}: 403 unless the caller may read every stored type the
     * answer discloses. It can only refuse when the engine read a type the measure's data requirements
     * did not list (then the refusal depends on the data; docs/security.md says so).
     */
    private Parameters disclosable(Caller c, Parameters result) {
        Set<String> types = new TreeSet<>();
        for (var p : result.getParameter()) {
            Resource r = p.getResource();
            if (r instanceof Bundle b) {
                b.getEntry().forEach(e -> types.add(stored(e.getResource())));
            } else if (r != null) {
                types.add(stored(r));
            }
        }
        types.remove("");
        types.forEach(t -> c.require(t, Interaction.READ));
        return result;
    }

    /** The resource's type when it came from the store; "" for what the operation made (reports, the site's own Organization). */
    private String stored(Resource r) {
        if (r == null || GENERATED.contains(r.fhirType()) || r instanceof MeasureReport) {
            return "";
        }
        if ("Organization".equals(r.fhirType()) && (r.getIdElement().getIdPart().equals(deqm.settings().reporterOrganization())
                || r.getIdElement().getIdPart().equals(deqm.settings().authorOrganization()))) {
            return "";
        }
        return r.fhirType();
    }

    @POST
    @Path("Measure/$submit-data")
    public Uni<Response> submitData(String body) {
        return submit(null, body);
    }

    @POST
    @Path("Measure/{id}/$submit-data")
    public Uni<Response> submitDataForMeasure(@PathParam("id") String id, String body) {
        return submit(id, body);
    }

    /** {@code id}: the instance-level form names the Measure in the URL; the reports say which Measure they are about. */
    private Uni<Response> submit(String id, String body) {
        Resource parsed = FhirFormat.parseBody(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        if (!(parsed instanceof Parameters parameters)) {
            throw FhirException.invalid("$submit-data expects a Parameters resource", parsed.fhirType());
        }
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        int reports = 0;
        for (var p : parameters.getParameter()) {
            String where = "Parameters.parameter.where(name='" + p.getName() + "')";
            if (!"measureReport".equals(p.getName()) && !"resource".equals(p.getName())) {
                throw FhirException.invalid("$submit-data takes measureReport and resource parameters, not '" + p.getName() + "'", where);
            }
            if (p.getResource() == null) {
                throw FhirException.invalid("parameter '" + p.getName() + "' must carry a resource", where);
            }
            Resource r = p.getResource();
            if ("measureReport".equals(p.getName())) {
                if (!(r instanceof MeasureReport)) {
                    throw FhirException.invalid("measureReport must be a MeasureReport, got " + r.fhirType(), where);
                }
                reports++;
            }
            var entry = tx.addEntry().setResource(r);
            if (r.getIdElement().hasIdPart()) {
                entry.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart());
            } else {
                entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(r.fhirType());
            }
        }
        if (reports == 0) {
            throw FhirException.invalid("$submit-data needs at least one measureReport", "Parameters.parameter");
        }
        FhirFormat format = FhirFormat.negotiate(headers, uri.getQueryParameters());
        return bundles.process(tx, base(), caller.get()).map(result -> FhirResponses.resource(200, result, format));
    }

    private String base() {
        String b = uri.getBaseUri().toString();
        return (b.endsWith("/") ? b : b + "/") + "fhir";
    }
}
