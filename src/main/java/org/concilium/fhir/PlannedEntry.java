package org.concilium.fhir;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.concilium.store.InvalidSearchException;
import org.concilium.store.ResourceWriter;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoreException;
import org.concilium.store.StoredResource;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** One Bundle entry, validated and planned before anything is written, then its outcome. */
final class PlannedEntry {

    final int index;
    final HTTPVerb method;
    final String type;
    /** The target id; for a conditional update or delete, set once its criteria are resolved. */
    String id;
    final String query;
    final String fullUrl;
    final Resource resource;
    final String ifNoneExist;
    final Integer ifMatch;
    StoredResource existing;
    StoredResource stored;
    String status;
    OperationOutcome outcome;
    /** The searchset Bundle (JSON) a GET Type?query entry answers with. */
    String searchset;
    /** Lenient-ingest findings, returned in this entry's response.outcome. */
    List<OperationOutcomeIssueComponent> warnings = List.of();

    private PlannedEntry(int index, HTTPVerb method, String type, String id, String query, String fullUrl,
            Resource resource, String ifNoneExist, Integer ifMatch) {
        this.index = index;
        this.method = method;
        this.type = type;
        this.id = id;
        this.query = query;
        this.fullUrl = fullUrl;
        this.resource = resource;
        this.ifNoneExist = ifNoneExist;
        this.ifMatch = ifMatch;
    }

    static PlannedEntry failed(int index, FhirException e) {
        PlannedEntry p = new PlannedEntry(index, null, null, null, null, null, null, null, null);
        p.fail(e);
        return p;
    }

    static PlannedEntry of(int index, BundleEntryComponent entry, ValidationPolicy policy) {
        String where = "Bundle.entry[" + index + "]";
        if (!entry.hasRequest() || !entry.getRequest().hasMethod() || !entry.getRequest().hasUrl()) {
            throw FhirException.invalid(where + ".request with method and url is required", where + ".request");
        }
        HTTPVerb method = entry.getRequest().getMethod();
        String url = entry.getRequest().getUrl();
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : null;
        String[] parts = path.replaceAll("^/+", "").split("/");
        String type = parts[0];
        String id = parts.length > 1 ? parts[1] : null;
        if (parts.length > 2) { // Patient/x/_history/2, Patient/x/Observation: never act on Patient/x instead
            throw prefixed(index, FhirException.badRequest("request.url '" + path + "' is not supported in a Bundle"
                    + " entry: use Type, Type/id or Type?criteria"));
        }
        try {
            ResourceRules.requireSupportedType(type);
            if (id != null) {
                ResourceRules.requireValidId(id);
            }
        } catch (FhirException e) {
            throw prefixed(index, e);
        }
        Resource resource = entry.getResource();
        String fullUrl = entry.hasFullUrl() ? entry.getFullUrl() : null;
        Integer ifMatch = ifMatch(index, entry.getRequest().getIfMatch());
        switch (method) {
            case POST -> {
                var warnings = requireResource(index, resource, type, policy);
                resource.setId(ResourceWriter.newId());
                return new PlannedEntry(index, method, type, null, null, fullUrl, resource,
                        entry.getRequest().getIfNoneExist(), null).withWarnings(warnings);
            }
            case PUT -> {
                if (id == null && query == null) {
                    throw prefixed(index, FhirException.invalid("PUT needs Type/id or Type?criteria", where + ".request"));
                }
                var warnings = requireResource(index, resource, type, policy);
                if (id == null) {
                    return new PlannedEntry(index, method, type, null, query, fullUrl, resource, null, ifMatch)
                            .withWarnings(warnings);
                }
                String bodyId = resource.getIdElement().getIdPart();
                if (bodyId != null && !bodyId.equals(id) && !(fullUrl != null && fullUrl.startsWith("urn:"))) {
                    throw prefixed(index, FhirException.invalid("resource id " + bodyId + " differs from the url " + url,
                            null));
                }
                resource.setId(id);
                return new PlannedEntry(index, method, type, id, null, fullUrl, resource, null, ifMatch)
                        .withWarnings(warnings);
            }
            case DELETE -> {
                if (id == null && query == null) {
                    throw prefixed(index, FhirException.invalid("DELETE needs Type/id or Type?criteria",
                            where + ".request"));
                }
                return new PlannedEntry(index, method, type, id, id == null ? query : null, fullUrl, null, null,
                        ifMatch);
            }
            case GET -> {
                return new PlannedEntry(index, method, type, id, query == null ? "" : query, fullUrl, null, null, null);
            }
            default -> throw prefixed(index, FhirException.notSupported("method " + method.toCode()
                    + " is not supported in Bundles"));
        }
    }

    private static List<OperationOutcomeIssueComponent> requireResource(int index, Resource resource, String type,
            ValidationPolicy policy) {
        if (resource == null) {
            throw prefixed(index, FhirException.invalid("a resource is required", "Bundle.entry[" + index + "].resource"));
        }
        try {
            return ResourceRules.check(resource, type, policy);
        } catch (FhirException e) {
            throw prefixed(index, e);
        }
    }

    private PlannedEntry withWarnings(List<OperationOutcomeIssueComponent> found) {
        this.warnings = found;
        return this;
    }

    private static Integer ifMatch(int index, String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(header.replace("W/", "").replace("\"", "").trim());
        } catch (NumberFormatException e) {
            throw prefixed(index, FhirException.badRequest("ifMatch must be a version ETag, got " + header));
        }
    }

    private static FhirException prefixed(int index, FhirException e) {
        String expr = e.expression() == null ? "Bundle.entry[" + index + "]"
                : "Bundle.entry[" + index + "].resource" + e.expression().substring(e.expression().indexOf('.') < 0
                        ? e.expression().length() : e.expression().indexOf('.'));
        return new FhirException(e.status(), e.issueType(), "Bundle.entry[" + index + "]: " + e.getMessage(), expr);
    }

    FhirException error(FhirException e) {
        return prefixed(index, e);
    }

    /** Records where this entry's fullUrl will point once written. */
    void registerId(Map<String, String> ids) {
        if (fullUrl == null || resource == null || conditionalWrite()) { // registered once its criteria resolve
            return;
        }
        ids.put(fullUrl, type + "/" + resource.getIdElement().getIdPart());
    }

    /** Points urn:uuid (and other fullUrl) references at the ids the transaction assigned. */
    void rewriteReferences(Map<String, String> ids) {
        if (resource == null) {
            return;
        }
        for (Reference ref : BundleProcessor.references(resource)) {
            String target = ref.getReference();
            if (target == null) {
                continue;
            }
            String mapped = ids.get(target);
            if (mapped != null) {
                ref.setReference(mapped);
            } else if (target.startsWith("urn:uuid:") || target.startsWith("urn:oid:")) {
                throw error(FhirException.invalid("reference " + target + " matches no entry's fullUrl",
                        type + ".reference"));
            }
        }
    }

    /** A PUT or DELETE that names its target by criteria, not id. */
    boolean conditionalWrite() {
        return (method == HTTPVerb.PUT || method == HTTPVerb.DELETE) && query != null;
    }

    SearchQuery searchQuery(int pageSize) {
        SearchQuery q = SearchQuery.parse(type, ConditionalCreate.parseQuery(query), pageSize, pageSize);
        if (!q.unknown().isEmpty()) {
            throw error(FhirException.notSupported("unsupported search parameters " + q.unknown()));
        }
        return q;
    }

    void done(StoredResource s, boolean created) {
        stored = s;
        status = created ? "201 Created" : "200 OK";
    }

    void deleted() {
        status = "204 No Content";
    }

    void read(StoredResource s) {
        stored = s;
        status = "200 OK";
    }

    /** A GET Type?query entry answered with this searchset Bundle (JSON). */
    void searched(String bundle) {
        status = "200 OK";
        searchset = bundle;
    }

    /** Batch only: turns a failure of this entry into its response; the other entries go on. */
    PlannedEntry fail(Throwable e) {
        String message;
        IssueType code;
        int s;
        if (e instanceof FhirException f) {
            s = f.status();
            code = f.issueType();
            message = f.getMessage();
        } else if (e instanceof StoreException se) {
            s = switch (se.reason()) {
                case NOT_FOUND -> 404;
                case GONE -> 410;
                default -> 412;
            };
            code = s == 404 ? IssueType.NOTFOUND : IssueType.CONFLICT;
            message = se.getMessage();
        } else if (e instanceof InvalidSearchException ise) {
            s = 400;
            code = IssueType.INVALID;
            message = ise.getMessage();
        } else {
            s = 500;
            code = IssueType.EXCEPTION;
            message = "internal error";
        }
        status = s + " " + (s >= 500 ? "Internal Server Error" : "Error");
        outcome = OperationOutcomes.error(code, message, "Bundle.entry[" + index + "]", UUID.randomUUID().toString());
        return this;
    }
}
