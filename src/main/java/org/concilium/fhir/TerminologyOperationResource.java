package org.concilium.fhir;

import io.smallrye.common.annotation.Blocking;
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
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.concilium.security.Interaction;
import org.concilium.store.FhirJson;
import org.concilium.store.ResourceStore;
import org.concilium.store.StoreException;
import org.concilium.terminology.CodeValidation;
import org.concilium.terminology.ConceptLookup;
import org.concilium.terminology.ExpansionPage;
import org.concilium.terminology.Terminology;
import org.concilium.terminology.TerminologyException;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Terminology operations over the site's stored CodeSystems and ValueSets:
 * {@code ValueSet/$expand}, {@code ValueSet/$validate-code} (type and instance level) and
 * {@code CodeSystem/$lookup}. Unknown ValueSets and CodeSystems are 404, bad parameters 400; see
 * docs/terminology.md.
 */
@Path("/fhir")
@Consumes("*/*")
public class TerminologyOperationResource {

    static final Set<String> EXPAND = Set.of("url", "valueSetVersion", "valueSet", "filter", "count", "offset",
            "includeDesignations");
    static final Set<String> VALIDATE = Set.of("url", "valueSetVersion", "valueSet", "code", "system", "display",
            "coding", "codeableConcept");
    static final Set<String> LOOKUP = Set.of("system", "code", "version", "coding");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    ResourceStore store;
    @Inject
    RequestCaller caller;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;

    @GET
    @Path("ValueSet/$expand")
    @Blocking
    public Response expandGet() {
        return expand(null, null);
    }

    @POST
    @Path("ValueSet/$expand")
    @Blocking
    public Response expandPost(String body) {
        return expand(null, body);
    }

    @GET
    @Path("ValueSet/{id}/$expand")
    @Blocking
    public Response expandInstanceGet(@PathParam("id") String id) {
        return expand(id, null);
    }

    @POST
    @Path("ValueSet/{id}/$expand")
    @Blocking
    public Response expandInstancePost(@PathParam("id") String id, String body) {
        return expand(id, body);
    }

    @GET
    @Path("ValueSet/$validate-code")
    @Blocking
    public Response validateGet() {
        return validate(null, null);
    }

    @POST
    @Path("ValueSet/$validate-code")
    @Blocking
    public Response validatePost(String body) {
        return validate(null, body);
    }

    @GET
    @Path("ValueSet/{id}/$validate-code")
    @Blocking
    public Response validateInstanceGet(@PathParam("id") String id) {
        return validate(id, null);
    }

    @POST
    @Path("ValueSet/{id}/$validate-code")
    @Blocking
    public Response validateInstancePost(@PathParam("id") String id, String body) {
        return validate(id, body);
    }

    @GET
    @Path("CodeSystem/$lookup")
    @Blocking
    public Response lookupGet() {
        return lookup(null);
    }

    @POST
    @Path("CodeSystem/$lookup")
    @Blocking
    public Response lookupPost(String body) {
        return lookup(body);
    }

    private Response expand(String id, String body) {
        caller.get().require("ValueSet", Interaction.READ);
        caller.get().require("CodeSystem", Interaction.READ);
        TerminologyParameters p = parameters("$expand", EXPAND, body);
        String filter = p.string("filter");
        int offset = p.integer("offset", 0);
        int count = p.integer("count", ExpansionPage.MAX_COUNT);
        boolean designations = p.bool("includeDesignations");
        Terminology terminology = terminology();
        ValueSet vs = target(id, p, terminology);
        ValueSet result = answer(() -> ExpansionPage.page(terminology, vs, filter, offset, count, designations));
        return FhirResponses.resource(200, result, format());
    }

    private Response validate(String id, String body) {
        caller.get().require("ValueSet", Interaction.READ);
        caller.get().require("CodeSystem", Interaction.READ);
        TerminologyParameters p = parameters("$validate-code", VALIDATE, body);
        List<CodeValidation.Candidate> candidates = candidates(p);
        Terminology terminology = terminology();
        ValueSet vs = target(id, p, terminology);
        return FhirResponses.resource(200, answer(() -> CodeValidation.validate(terminology, vs, candidates)), format());
    }

    private Response lookup(String body) {
        caller.get().require("CodeSystem", Interaction.READ);
        TerminologyParameters p = parameters("$lookup", LOOKUP, body);
        Coding coding = p.coding("coding");
        if (coding != null && (p.has("code") || p.has("system"))) {
            throw FhirException.invalid("$lookup takes either coding or system and code, not both", "Parameters");
        }
        String system = coding != null ? coding.getSystem() : p.string("system");
        String code = coding != null ? coding.getCode() : p.string("code");
        String version = coding != null && coding.hasVersion() ? coding.getVersion() : p.string("version");
        if (system == null || system.isEmpty() || code == null || code.isEmpty()) {
            throw FhirException.invalid("$lookup needs system and code (or a coding with both)", "Parameters");
        }
        Terminology terminology = terminology();
        return FhirResponses.resource(200, answer(() -> ConceptLookup.lookup(terminology, system, version, code)), format());
    }

    /** Exactly one of code (+system, display), coding, codeableConcept. */
    private static List<CodeValidation.Candidate> candidates(TerminologyParameters p) {
        int given = (p.has("code") ? 1 : 0) + (p.has("coding") ? 1 : 0) + (p.has("codeableConcept") ? 1 : 0);
        if (given != 1) {
            throw FhirException.invalid("$validate-code takes exactly one of code, coding and codeableConcept", "Parameters");
        }
        if (p.has("code")) {
            return List.of(new CodeValidation.Candidate(p.string("system"), p.string("code"), p.string("display")));
        }
        if (p.has("system")) {
            throw FhirException.invalid("$validate-code parameter 'system' goes with 'code' only", "Parameters");
        }
        List<Coding> codings = p.has("coding") ? List.of(p.coding("coding")) : p.codeableConcept("codeableConcept");
        for (Coding c : codings) {
            if (!c.hasCode()) {
                throw FhirException.invalid("$validate-code: a coding has no code", "Parameters");
            }
        }
        String display = p.string("display");
        return codings.stream().map(c -> new CodeValidation.Candidate(c.getSystem(), c.getCode(),
                c.hasDisplay() ? c.getDisplay() : display)).toList();
    }

    /** The ValueSet an operation is about: the instance, a url (and version), or one given inline. */
    private ValueSet target(String id, TerminologyParameters p, Terminology terminology) {
        int given = (id != null ? 1 : 0) + (p.has("url") ? 1 : 0) + (p.has("valueSet") ? 1 : 0);
        if (given != 1) {
            throw FhirException.invalid("name the value set one way: the instance, url, or valueSet", "Parameters");
        }
        if (p.has("valueSetVersion") && !p.has("url")) {
            throw FhirException.invalid("valueSetVersion goes with url", "Parameters");
        }
        if (id != null) {
            try {
                return FhirJson.parse(ValueSet.class, store.read("ValueSet", id).await().atMost(TIMEOUT).json());
            } catch (StoreException e) {
                throw FhirException.notFound("ValueSet/" + id + " is not known");
            }
        }
        if (p.has("valueSet")) {
            return p.resource("valueSet", ValueSet.class);
        }
        String url = p.string("url");
        String version = p.string("valueSetVersion");
        String canonical = version == null ? url : url + "|" + version;
        return terminology.valueSet(canonical)
                .orElseThrow(() -> FhirException.notFound("ValueSet " + canonical + " is not stored on this node"));
    }

    private TerminologyParameters parameters(String operation, Set<String> accepted, String body) {
        return TerminologyParameters.of(operation, accepted, uri.getQueryParameters(), body,
                headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
    }

    private Terminology terminology() {
        return new Terminology(FhirJson.context(), new StoredKnowledge(store));
    }

    private FhirFormat format() {
        return FhirFormat.negotiate(headers, uri.getQueryParameters());
    }

    private static <T> T answer(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (TerminologyException e) {
            throw e.kind() == TerminologyException.Kind.NOT_FOUND ? FhirException.notFound(e.getMessage())
                    : FhirException.unprocessable(e.getMessage(), null);
        }
    }
}
