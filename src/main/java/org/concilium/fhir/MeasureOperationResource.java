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
import java.util.List;
import java.util.Map;
import org.concilium.measure.EvaluateMeasureCommand;
import org.concilium.security.Caller;
import org.concilium.security.Interaction;
import org.concilium.measure.MeasureService;

/** {@code $evaluate-measure} on this site's own data: a thin boundary over {@link MeasureService}. */
@Path("/fhir")
@Consumes("*/*")
public class MeasureOperationResource {

    @Inject
    MeasureService measures;
    @Inject
    MeasureDataScope dataScope;
    @Inject
    RequestCaller caller;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;

    @GET
    @Path("Measure/{id}/$evaluate-measure")
    public Uni<Response> instanceGet(@PathParam("id") String id) {
        return run(id, OperationParameters.fromQuery(uri.getQueryParameters()));
    }

    @POST
    @Path("Measure/{id}/$evaluate-measure")
    public Uni<Response> instancePost(@PathParam("id") String id, String body) {
        return run(id, OperationParameters.fromBody(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                uri.getQueryParameters()));
    }

    @GET
    @Path("Measure/$evaluate-measure")
    public Uni<Response> typeGet() {
        return run(null, OperationParameters.fromQuery(uri.getQueryParameters()));
    }

    @POST
    @Path("Measure/$evaluate-measure")
    public Uni<Response> typePost(String body) {
        return run(null, OperationParameters.fromBody(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                uri.getQueryParameters()));
    }

    private Uni<Response> run(String id, Map<String, String> p) {
        String measure = id != null ? "Measure/" + id : p.get("measure");
        if (id != null && p.containsKey("measure")) {
            throw FhirException.invalid("'measure' is given by the URL already", "Parameters.parameter.where(name='measure')");
        }
        if (measure == null || measure.isBlank()) {
            throw FhirException.invalid("type-level $evaluate-measure needs a 'measure' parameter",
                    "Parameters.parameter.where(name='measure')");
        }
        authorize(p);
        EvaluateMeasureCommand command = EvaluateMeasureCommand.of(measure, p.get("periodStart"), p.get("periodEnd"),
                p.get("reportType"), p.get("subject"), p.get("practitioner"), headers.getHeaderString("Timezone"));
        ReportAnnotations annotations = ReportAnnotations.of(p);
        FhirFormat format = FhirFormat.negotiate(headers, uri.getQueryParameters());
        // a patient-level report shows what the patient's record decided (MeasureDataScope)
        Uni<Void> allowed = patientLevel(p) ? dataScope.requireReadOfRetrievedTypes(caller.get(), List.of(measure), false)
                : Uni.createFrom().voidItem();
        return allowed.flatMap(x -> measures.evaluate(command))
                .map(report -> FhirResponses.resource(200, annotations.applyTo(report), format));
    }

    /**
     * Reading the Measure and creating a MeasureReport; a subject or subject-list report names
     * patients, so it needs patient read access as well (docs/security.md).
     */
    private void authorize(Map<String, String> p) {
        Caller c = caller.get();
        c.require("Measure", Interaction.READ);
        c.require("Measure", Interaction.SEARCH);
        c.require("MeasureReport", Interaction.CREATE);
        if (patientLevel(p)) {
            c.require("Patient", Interaction.READ);
            c.require("Patient", Interaction.SEARCH);
        }
    }

    private static boolean patientLevel(Map<String, String> p) {
        String type = p.getOrDefault("reportType", p.containsKey("subject") ? "subject" : "population");
        return !type.equals("population") || p.containsKey("subject") || p.containsKey("practitioner");
    }
}
