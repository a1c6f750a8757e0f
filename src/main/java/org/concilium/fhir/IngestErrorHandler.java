package org.concilium.fhir;

import ca.uhn.fhir.parser.StrictErrorHandler;

/**
 * The parser's error handler under {@link ValidationPolicy#LENIENT}: everything that makes a body
 * unparsable stays an error (unknown elements, bad values, wrong JSON types); a local reference
 * without its contained resource and a missing required element are let through, because
 * {@link ResourceRules#findings} reports them per resource as warnings.
 */
final class IngestErrorHandler extends StrictErrorHandler {

    @Override
    public void unknownReference(IParseLocation location, String reference) {
        // reported as a warning by ResourceRules
    }

    @Override
    public void missingRequiredElement(IParseLocation location, String elementName) {
        // reported as a warning by ResourceRules
    }
}
