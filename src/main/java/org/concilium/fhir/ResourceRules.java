package org.concilium.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import org.concilium.store.FhirJson;
import org.concilium.store.SearchParameterCatalog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Reference;
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
        check(resource, expectedType, ValidationPolicy.STRICT);
    }

    /**
     * Checks a resource before it is stored. The store's rules (type, supported type) always refuse;
     * cardinality and unresolvable local references refuse under {@code STRICT} and are returned as
     * warnings under {@code LENIENT}. Terminology is never checked at ingest (use {@code $validate}).
     */
    static List<OperationOutcomeIssueComponent> check(Resource resource, String expectedType, ValidationPolicy policy) {
        return check(resource, expectedType, policy, true);
    }

    /** The refusing part of {@link #check} alone, for a caller that drops the warnings ({@code $import}). */
    static void requireStorable(Resource resource, ValidationPolicy policy) {
        check(resource, null, policy, false);
    }

    private static List<OperationOutcomeIssueComponent> check(Resource resource, String expectedType,
            ValidationPolicy policy, boolean warn) {
        if (expectedType != null && !expectedType.equals(resource.fhirType())) {
            throw FhirException.invalid("the body is a " + resource.fhirType() + " but the URL names "
                    + expectedType, resource.fhirType());
        }
        requireSupportedType(resource.fhirType());
        List<OperationOutcomeIssueComponent> warnings = new ArrayList<>();
        RuntimeResourceDefinition def = FhirJson.context().getResourceDefinition(resource);
        for (BaseRuntimeChildDefinition child : def.getChildren()) {
            if (child.getMin() > 0 && child.getAccessor().getValues(resource).isEmpty()) {
                String element = child.getElementName().replace("[x]", "");
                String message = resource.fhirType() + "." + element + " is required (minimum cardinality 1) but missing";
                if (policy == ValidationPolicy.STRICT) {
                    throw FhirException.unprocessable(message, resource.fhirType() + "." + element);
                }
                warnings.add(warning(IssueType.REQUIRED, message + "; stored as sent", resource.fhirType() + "." + element));
            }
        }
        if (policy == ValidationPolicy.LENIENT && warn) { // a walk over every reference, for warnings only
            Set<String> contained = new HashSet<>();
            if (resource instanceof DomainResource d) {
                d.getContained().forEach(c -> contained.add(c.getIdElement().getIdPart()));
            }
            for (Reference ref : BundleProcessor.references(resource)) {
                String target = ref.getReference();
                if (target != null && target.startsWith("#") && target.length() > 1
                        && !contained.contains(target.substring(1))) {
                    warnings.add(warning(IssueType.NOTFOUND, "local reference " + target
                            + " names no contained resource; stored as sent", resource.fhirType()));
                }
            }
        }
        return warnings;
    }

    private static OperationOutcomeIssueComponent warning(IssueType type, String message, String expression) {
        OperationOutcomeIssueComponent issue = new OperationOutcomeIssueComponent()
                .setSeverity(IssueSeverity.WARNING).setCode(type).setDiagnostics(message);
        issue.addExpression(expression);
        return issue;
    }
}
