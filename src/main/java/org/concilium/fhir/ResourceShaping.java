package org.concilium.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.concilium.store.FhirJson;
import org.concilium.store.SearchQuery;
import org.hl7.fhir.r4.model.Resource;

/**
 * _elements and _summary=true|text|data: the subset of each match the client asked for, marked
 * with the SUBSETTED tag (R4 3.1.1.5.7). Mandatory top-level elements always stay.
 */
final class ResourceShaping {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBSETTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

    private ResourceShaping() {
    }

    static String apply(String json, SearchQuery query) {
        SearchQuery.Summary summary = query.summary();
        if (summary == SearchQuery.Summary.TRUE) {
            Resource r = FhirJson.parse(Resource.class, json);
            r.getMeta().addTag(SUBSETTED_SYSTEM, "SUBSETTED", "subsetted");
            return FhirJson.context().newJsonParser().setSummaryMode(true).encodeResourceToString(r);
        }
        if (summary == null && query.elements().isEmpty()) {
            return json;
        }
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            String type = node.path("resourceType").asText();
            Set<String> keep = new HashSet<>(Set.of("resourceType", "id", "meta"));
            if (summary == SearchQuery.Summary.DATA) {
                node.remove("text");
            } else {
                keep.addAll(mandatory(type));
                if (summary == SearchQuery.Summary.TEXT) {
                    keep.add("text");
                } else {
                    query.elements().forEach(e -> keep.add(e.contains(".") ? e.substring(e.indexOf('.') + 1) : e));
                }
                for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                    String f = it.next();
                    String base = f.startsWith("_") ? f.substring(1) : f;
                    if (!keep.contains(base) && !keep.contains(choiceBase(base, keep))) {
                        it.remove();
                    }
                }
            }
            ObjectNode meta = node.has("meta") ? (ObjectNode) node.get("meta") : node.putObject("meta");
            ArrayNode tags = meta.has("tag") ? (ArrayNode) meta.get("tag") : meta.putArray("tag");
            tags.addObject().put("system", SUBSETTED_SYSTEM).put("code", "SUBSETTED");
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException("stored resource is not JSON", e);
        }
    }

    /** valueQuantity is kept when 'value' was asked for. */
    private static String choiceBase(String field, Set<String> keep) {
        for (String k : keep) {
            if (field.startsWith(k) && field.length() > k.length() && Character.isUpperCase(field.charAt(k.length()))) {
                return k;
            }
        }
        return field;
    }

    private static Set<String> mandatory(String type) {
        Set<String> out = new HashSet<>();
        if (!FhirJson.context().getResourceTypes().contains(type)) {
            return out;
        }
        RuntimeResourceDefinition def = FhirJson.context().getResourceDefinition(type);
        for (BaseRuntimeChildDefinition child : def.getChildren()) {
            if (child.getMin() > 0) {
                String name = child.getElementName();
                out.add(name.endsWith("[x]") ? name.substring(0, name.length() - 3) : name);
            }
        }
        return out;
    }
}
