package org.concilium.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Locale;
import org.concilium.store.FhirJson;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;

/** Content negotiation: JSON unless the client asks for XML only; strict parsing of request bodies. */
public enum FhirFormat {
    JSON("application/fhir+json;charset=utf-8"),
    XML("application/fhir+xml;charset=utf-8");

    private final String mediaType;

    FhirFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The response format from {@code _format} or Accept; JSON when both are acceptable. */
    public static FhirFormat negotiate(HttpHeaders headers, MultivaluedMap<String, String> query) {
        String format = query == null ? null : query.getFirst("_format");
        if (format != null) {
            return format.toLowerCase(Locale.ROOT).contains("xml") ? XML : JSON;
        }
        String accept = headers == null ? null : headers.getHeaderString(HttpHeaders.ACCEPT);
        if (accept != null) {
            String a = accept.toLowerCase(Locale.ROOT);
            if (a.contains("xml") && !a.contains("json") && !a.contains("*/*")) {
                return XML;
            }
        }
        return JSON;
    }

    public static FhirFormat ofContentType(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("xml") ? XML : JSON;
    }

    public String encode(IBaseResource resource) {
        return parser().encodeResourceToString(resource);
    }

    /** Stored bodies are JSON: pass them through, or re-encode for XML clients. */
    public String encodeStoredJson(String json) {
        return this == JSON ? json : encode(FhirJson.parse(Resource.class, json));
    }

    /** Parses an untrusted request body; unknown elements, bad values and bad syntax are 400s. */
    public static Resource parseBody(String body, String contentType) {
        return parseBody(body, contentType, ValidationPolicy.STRICT);
    }

    /** Parses untrusted input; under {@code LENIENT} unresolvable local references do not fail the parse. */
    public static Resource parseBody(String body, String contentType, ValidationPolicy policy) {
        if (body == null || body.isBlank()) {
            throw FhirException.badRequest("the request has no body; a FHIR resource was expected");
        }
        FhirFormat format = ofContentType(contentType);
        BodyShape.check(body, format);
        IParser parser = format.parser().setParserErrorHandler(
                policy == ValidationPolicy.LENIENT ? new IngestErrorHandler() : new StrictErrorHandler());
        Resource r;
        try {
            IBaseResource parsed = parser.parseResource(body);
            if (!(parsed instanceof Resource resource)) {
                throw FhirException.badRequest("the body is not an R4 resource");
            }
            r = resource;
        } catch (DataFormatException e) {
            throw FhirException.badRequest("the body is not valid FHIR R4: " + clientSafe(e.getMessage()));
        } catch (FhirException e) {
            throw e;
        } catch (RuntimeException e) {
            // the parser's own failures on hostile input (limits of its JSON/XML reader, bad numbers...)
            throw FhirException.badRequest("the body is not valid FHIR R4: it could not be read");
        }
        if (format == XML || !TextRules.plainJson(body)) {
            TextRules.check(r, "the " + r.fhirType());
        }
        return r;
    }

    /** HAPI parse messages name the element and problem; strip its internal error-code prefix. */
    private static String clientSafe(String message) {
        if (message == null) {
            return "unparsable content";
        }
        String m = message.replaceFirst("^HAPI-\\d+: ", "");
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    private IParser parser() {
        return this == JSON ? FhirJson.context().newJsonParser() : FhirJson.context().newXmlParser();
    }
}
