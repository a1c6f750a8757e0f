package org.concilium.fhir;

import io.smallrye.mutiny.Uni;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.store.ResourceWriter;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoreException;
import org.concilium.store.WriteLocks;
import org.concilium.store.WriteResult;
import org.hl7.fhir.r4.model.Resource;

/** Create, or with If-None-Exist return the single existing match (412 when several match). */
final class ConditionalCreate {

    private ConditionalCreate() {
    }

    static Uni<WriteResult> run(ResourceWriter writer, Resource resource, String ifNoneExist, int pageSize) {
        if (ifNoneExist == null || ifNoneExist.isBlank()) {
            return writer.create(resource).map(s -> new WriteResult(s, true));
        }
        Map<String, List<String>> criteria = parseQuery(ifNoneExist);
        SearchQuery query = SearchQuery.parse(resource.fhirType(), criteria, pageSize, pageSize);
        if (!query.unknown().isEmpty() || query.filters().isEmpty()) {
            throw FhirException.badRequest("If-None-Exist must use supported search parameters of "
                    + resource.fhirType() + ", got '" + ifNoneExist + "'");
        }
        // two requests with the same criteria: the second searches after the first committed
        return writer.lock(List.of(WriteLocks.conditional(resource.fhirType(), criteria)))
                .flatMap(x -> writer.search(query)).flatMap(page -> {
            if (page.matches().size() > 1) {
                throw new StoreException(StoreException.Reason.MULTIPLE_MATCHES,
                        "If-None-Exist '" + ifNoneExist + "' matches more than one resource");
            }
            if (page.matches().size() == 1) {
                return Uni.createFrom().item(new WriteResult(page.matches().get(0), false));
            }
            return writer.create(resource).map(s -> new WriteResult(s, true));
        });
    }

    /** 'a=1&b=2' or 'Type?a=1' into a parameter map; bad percent-encoding is a 400. */
    static Map<String, List<String>> parseQuery(String query) {
        try {
            return decode(query);
        } catch (IllegalArgumentException e) {
            throw FhirException.badRequest("the conditional criteria '" + query + "' are not a valid query string");
        }
    }

    private static Map<String, List<String>> decode(String query) {
        String q = query.contains("?") ? query.substring(query.indexOf('?') + 1) : query;
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            TextRules.requireText(key, "the conditional criteria");
            TextRules.requireText(value, "the conditional criteria");
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }
}
