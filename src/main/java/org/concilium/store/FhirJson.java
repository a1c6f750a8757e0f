package org.concilium.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The node's single R4 FhirContext (expensive to build, thread-safe once built) and the
 * JSON parsing and encoding every layer shares. Parsers are cheap and not thread-safe: one per call.
 */
public final class FhirJson {

    private static final FhirContext CONTEXT = scanned(FhirContext.forR4Cached());

    private FhirJson() {
    }

    /**
     * HAPI scans a type's model on its first use and swaps its lookup maps while it does: two requests that
     * first encode a type at the same moment can miss it (an NPE in the parser, a 500 seen on a node's first
     * concurrent requests after start-up). Every R4 resource type, with the datatypes it uses, is scanned here
     * once, before any request.
     */
    private static FhirContext scanned(FhirContext context) {
        for (String type : context.getResourceTypes()) {
            context.getResourceDefinition(type);
        }
        return context;
    }

    public static FhirContext context() {
        return CONTEXT;
    }

    /** Lenient parse, as stored bodies were validated on the way in. */
    public static <T extends IBaseResource> T parse(Class<T> type, String json) {
        if (java.lang.reflect.Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
            return type.cast(CONTEXT.newJsonParser().parseResource(json));
        }
        return CONTEXT.newJsonParser().parseResource(type, json);
    }

    /** Strict parse for untrusted input: unknown elements and bad values are errors. */
    public static IParser strictJsonParser() {
        return CONTEXT.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    }

    public static String encode(IBaseResource resource) {
        return CONTEXT.newJsonParser().encodeResourceToString(resource);
    }
}
