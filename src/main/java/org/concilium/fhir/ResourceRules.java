package org.concilium.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import org.concilium.store.FhirJson;
import org.concilium.store.SearchParameterCatalog;
import org.hl7.fhir.r4.model.Resource;

/** Business rules a resource must meet before it is stored (422 when broken). */
final class ResourceRules {

    private static final String ID_PATTERN = "[A-Za-z0-9\\-.]{1,64}";

    private ResourceRules() {
    }

    static void requireSupportedType(String type) {
        if (!SearchParameterCatalog.supports(type)) {
            throw FhirException.notFound("resource type '" + type + "' is not supported by this server");
        }
    }

    /** The audit trail is append-only: no create, update or delete through the API (405). */
    static void requireWritable(String type) {
        if (SearchParameterCatalog.APPEND_ONLY.contains(type)) {
            throw new FhirException(405, org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTSUPPORTED, type
                    + " resources are an append-only record written by the node; they cannot be created, changed"
                    + " or deleted through the API", type);
        }
    }

    static void requireValidId(String id) {
        if (id == null || !id.matches(ID_PATTERN)) {
            throw FhirException.badRequest("'" + id + "' is not a valid FHIR id");
        }
    }

    /** The body must be of the type in the URL, and every required (min 1) top-level element present. */
    static void check(Resource resource, String expectedType) {
        if (expectedType != null && !expectedType.equals(resource.fhirType())) {
            throw FhirException.invalid("the body is a " + resource.fhirType() + " but the URL names "
                    + expectedType, resource.fhirType());
        }
        requireSupportedType(resource.fhirType());
        RuntimeResourceDefinition def = FhirJson.context().getResourceDefinition(resource);
        for (BaseRuntimeChildDefinition child : def.getChildren()) {
            if (child.getMin() > 0 && child.getAccessor().getValues(resource).isEmpty()) {
                String element = child.getElementName().replace("[x]", "");
                throw FhirException.unprocessable(resource.fhirType() + "." + element
                        + " is required (minimum cardinality 1) but missing", resource.fhirType() + "." + element);
            }
        }
    }
}
