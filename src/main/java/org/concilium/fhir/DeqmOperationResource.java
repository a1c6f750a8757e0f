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
import java.util.Map;
import org.concilium.measure.MeasureService;
import org.concilium.security.Caller;
import org.concilium.security.Interaction;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

/**
 * DEQM operations on this site's store: {@code Measure/[id]/$data-requirements} (cqf-fhir-cr's
 * R4DataRequirementsService over the site's knowledge artifacts) and {@code Measure/$submit-data}
 * (the reports and resources stored as one transaction, as cqf-fhir-cr's R4SubmitDataService does,
 * through the site's own transaction path so every entry meets the caller's write scopes).
 */
@Path("/fhir")
@Consumes("*/*")
public class DeqmOperationResource {

    @Inject
    MeasureService measures;
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
        FhirFormat format = FhirFormat.negotiate(headers, uri.getQueryParameters());
        return measures.dataRequirements("Measure/" + id, p.get("periodStart"), p.get("periodEnd"))
                .map(library -> FhirResponses.resource(200, library, format));
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
