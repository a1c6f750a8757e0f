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
    org.concilium.measure.deqm.DeqmService deqm;
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
        Uni<Void> allowed = patientLevel(p) ? readsWhatTheMeasureRetrieves(caller.get(), measure)
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

    /**
     * A patient-level report tells which populations a patient is in, derived from the patient's
     * resources, and lists them in evaluatedResource: it needs read on every stored type the measure
     * retrieves (as $collect-data and $care-gaps need for what they return). Decided from the
     * measure's data requirements before evaluating, so the refusal does not depend on the data.
     */
    private Uni<Void> readsWhatTheMeasureRetrieves(Caller c, String measure) {
        return deqm.retrievedTypes(measure).map(types -> {
            java.util.Collection<String> needed = types.isPresent() ? types.get()
                    : org.concilium.store.SearchParameterCatalog.types().stream()
                            .filter(t -> !t.equals("AuditEvent")
                                    && !org.concilium.store.SearchParameterCatalog.patientCompartment(t).isEmpty())
                            .toList();
            needed.stream().filter(org.concilium.store.SearchParameterCatalog::supports).sorted()
                    .forEach(t -> c.require(t, Interaction.READ));
            return null;
        });
    }
}
