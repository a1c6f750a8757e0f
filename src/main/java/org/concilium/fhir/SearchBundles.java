package org.concilium.fhir;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.concilium.store.FhirJson;
import org.concilium.store.SearchPage;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoredResource;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Writes searchset Bundles as JSON text around the stored resource bodies, so a search page
 * costs no parse/re-encode of its matches (XML clients get the Bundle re-encoded).
 */
final class SearchBundles {

    private SearchBundles() {
    }

    static String searchset(String base, SearchQuery query, MultivaluedMap<String, String> params, SearchPage page,
            OperationOutcome warning) {
        StringBuilder json = new StringBuilder(256 + page.matches().size() * 512);
        json.append("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":").append(page.total());
        json.append(",\"link\":[");
        link(json, "self", base + "/" + query.type() + queryString(params, null));
        long nextOffset = (long) query.offset() + query.count();
        if (!query.summaryCount() && query.count() > 0 && nextOffset < page.total()) {
            json.append(',');
            link(json, "next", base + "/" + query.type() + queryString(params, nextOffset));
        }
        if (query.offset() > 0 && !query.summaryCount()) {
            json.append(',');
            link(json, "previous", base + "/" + query.type()
                    + queryString(params, Math.max(0L, (long) query.offset() - query.count())));
        }
        json.append(']');
        boolean any = false;
        for (StoredResource s : page.matches()) {
            json.append(any ? "," : ",\"entry\":[");
            any = true;
            json.append("{\"fullUrl\":").append(quote(base + "/" + s.type() + "/" + s.id()))
                    .append(",\"resource\":").append(s.json()).append(",\"search\":{\"mode\":\"match\"}}");
        }
        if (warning != null) {
            json.append(any ? "," : ",\"entry\":[");
            any = true;
            json.append("{\"resource\":").append(FhirJson.encode(warning)).append(",\"search\":{\"mode\":\"outcome\"}}");
        }
        if (any) {
            json.append(']');
        }
        return json.append('}').toString();
    }

    private static void link(StringBuilder json, String relation, String url) {
        json.append("{\"relation\":\"").append(relation).append("\",\"url\":").append(quote(url)).append('}');
    }

    private static String queryString(MultivaluedMap<String, String> params, Long offset) {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (offset != null && e.getKey().equals("_offset")) {
                continue;
            }
            for (String v : e.getValue()) {
                q.append(q.isEmpty() ? '?' : '&').append(encode(e.getKey())).append('=').append(encode(v));
            }
        }
        if (offset != null) {
            q.append(q.isEmpty() ? '?' : '&').append("_offset=").append(offset);
        }
        return q.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%7C", "|").replace("%2F", "/").replace("%3A", ":");
    }

    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
