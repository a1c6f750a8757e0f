package org.concilium.fhir;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.concilium.store.FhirJson;
import org.concilium.security.Interaction;
import org.concilium.store.ResourceStore;
import org.concilium.validation.ProfileValidator;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

/**
 * {@code POST /fhir/[type]/$validate} and {@code /fhir/[type]/[id]/$validate}: the HL7 validator's
 * findings as an OperationOutcome (200; the findings carry the severities). The body is the
 * resource or a Parameters with {@code resource} (and optional {@code profile}); at instance level
 * without a resource the stored version is validated. Thin boundary over {@link ProfileValidator}.
 *
 * <p>Type level takes <b>any R4 resource type</b> (a Bundle, a Parameters, ...), stored here or not:
 * validation stores nothing and reads nothing of the type, so it needs an authenticated caller and
 * no resource scope (docs/security.md). Instance level names a stored resource, so the type must be
 * one this node stores and the caller needs read on it. An unknown type is a 404.
 */
// plain {type} templates: a regex template would turn the literal '$' into an end-of-path anchor
@Path("/fhir")
@Consumes("*/*")
public class ValidateOperationResource {

    @Inject
    ProfileValidator validator;
    /** Every R4 resource type name: type-level validation takes any of them. */
    private static final java.util.Set<String> R4_TYPES = java.util.Set.copyOf(FhirJson.context().getResourceTypes());

    @Inject
    ResourceStore store;
    /**
     * The validator costs milliseconds of CPU per element and type level needs no resource scope, so
     * the request body limit (200M) would let any token holder occupy the cores for hours with one call.
     */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "concilium.fhir.validate.max-body-size",
            defaultValue = "1M")
    io.quarkus.runtime.configuration.MemorySize maxBody;
    @Inject
    RequestCaller caller;
    @Inject
    ValidationSlots slots;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;

    @POST
    @Path("{type}/$validate")
    public Uni<Response> type(@PathParam("type") String type, String body) {
        if (!R4_TYPES.contains(type)) {
            throw FhirException.notFound("'" + type + "' is not an R4 resource type");
        }
        Request r = request(body);
        if (r.resource == null) {
            throw FhirException.invalid("$validate needs a resource (the body, or Parameters.resource)", "Parameters.parameter");
        }
        return run(type, r.resource, r.profile);
    }

    @POST
    @Path("{type}/{id}/$validate")
    public Uni<Response> instance(@PathParam("type") String type, @PathParam("id") String id, String body) {
        ResourceRules.requireSupportedType(type);
        ResourceRules.requireValidId(id);
        caller.get().require(type, Interaction.READ);
        Request r = body == null || body.isBlank() ? new Request(null, null) : request(body);
        if (r.resource != null) {
            return run(type, r.resource, r.profile);
        }
        return store.read(type, id).flatMap(s -> run(type, FhirJson.parse(Resource.class, s.json()), r.profile));
    }

    private Uni<Response> run(String type, Resource resource, String profile) {
        if (!type.equals(resource.fhirType())) {
            throw FhirException.invalid("the resource is a " + resource.fhirType() + " but the URL names " + type, type);
        }
        FhirFormat format = FhirFormat.negotiate(headers, uri.getQueryParameters());
        String p = profile != null ? profile : uri.getQueryParameters().getFirst("profile");
        String client = caller.get().clientId();
        slots.acquire(client);
        // deferred: a validator that throws before its Uni exists still gives the slot back
        return Uni.createFrom().deferred(() -> validator.validate(resource, p)).onTermination().invoke(() -> slots.release(client))
                .map(outcome -> FhirResponses.resource(200, outcome, format));
    }

    private record Request(Resource resource, String profile) {}

    private void requireWithinLimit(String body) {
        long limit = maxBody.asLongValue();
        if (body != null && (body.length() > limit
                || body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > limit)) {
            throw new FhirException(413, org.hl7.fhir.r4.model.OperationOutcome.IssueType.TOOLONG, "$validate takes at most "
                    + limit + " bytes (concilium.fhir.validate.max-body-size): validation costs CPU per element; "
                    + "validate large Bundles entry by entry", null);
        }
    }

    private Request request(String body) {
        requireWithinLimit(body);
        // parsed as any resource is on ingest, but never stored: validation reports what is wrong
        Resource parsed = FhirFormat.parseBody(body, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                ValidationPolicy.LENIENT);
        if (parsed instanceof Parameters params && params.getParameter("resource") != null) {
            var profile = params.getParameter("profile");
            return new Request(params.getParameter("resource").getResource(),
                    profile == null || profile.getValue() == null ? null : profile.getValue().primitiveValue());
        }
        return new Request(parsed, null);
    }
}
