package org.concilium.fhir;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.concilium.store.StoredResource;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** Builds FHIR responses: body in the negotiated format plus ETag, Last-Modified and Location. */
final class FhirResponses {

    enum Prefer { REPRESENTATION, MINIMAL, OPERATION_OUTCOME }

    private FhirResponses() {
    }

    static Prefer prefer(HttpHeaders headers) {
        String p = headers.getHeaderString("Prefer");
        if (p == null) {
            return Prefer.REPRESENTATION;
        }
        String v = p.toLowerCase(Locale.ROOT);
        if (v.contains("return=minimal")) {
            return Prefer.MINIMAL;
        }
        if (v.contains("return=operationoutcome")) {
            return Prefer.OPERATION_OUTCOME;
        }
        return Prefer.REPRESENTATION;
    }

    static Response stored(int status, StoredResource s, FhirFormat format, String base, Prefer prefer,
            boolean withLocation) {
        return stored(status, s, format, base, prefer, withLocation, List.of());
    }

    /** As above; {@code warnings} (lenient ingest findings) go into the OperationOutcome form. */
    static Response stored(int status, StoredResource s, FhirFormat format, String base, Prefer prefer,
            boolean withLocation, List<OperationOutcomeIssueComponent> warnings) {
        Response.ResponseBuilder b = Response.status(status).tag(new jakarta.ws.rs.core.EntityTag(
                Integer.toString(s.version()), true)).lastModified(Date.from(s.lastUpdated()));
        if (withLocation) {
            b.header("Location", base + "/" + s.versionedReference());
            b.header("Content-Location", base + "/" + s.versionedReference());
        }
        return switch (prefer) {
            case MINIMAL -> b.build();
            case OPERATION_OUTCOME -> b.type(format.mediaType())
                    .entity(format.encode(OperationOutcomes.stored(s.versionedReference(), warnings))).build();
            case REPRESENTATION -> b.type(format.mediaType()).entity(format.encodeStoredJson(s.json())).build();
        };
    }

    static Response resource(int status, IBaseResource resource, FhirFormat format) {
        return Response.status(status).type(format.mediaType()).entity(format.encode(resource)).build();
    }

    /** Parses an If-Match header (W/"3" or "3") to a version number. */
    static Integer ifMatch(HttpHeaders headers) {
        String v = headers.getHeaderString("If-Match");
        if (v == null || v.isBlank()) {
            return null;
        }
        String digits = v.replace("W/", "").replace("\"", "").trim();
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw FhirException.badRequest("If-Match must be a version ETag such as W/\"3\", got " + v);
        }
    }
}
