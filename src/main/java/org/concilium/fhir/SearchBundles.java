package org.concilium.fhir;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.concilium.store.FhirJson;
import org.concilium.store.PageCursor;
import org.concilium.store.SearchPage;
import org.concilium.store.SearchQuery;
import org.concilium.store.StoredResource;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Writes searchset Bundles as JSON text around the stored resource bodies, so a search page
 * costs no parse/re-encode of its matches unless _elements/_summary asks for a subset (XML
 * clients get the Bundle re-encoded). next/previous links carry the keyset cursor.
 */
final class SearchBundles {

    private SearchBundles() {
    }

    /** {@code path} is what the links repeat: 'Observation' or 'Patient/1/Observation'. */
    static String searchset(String base, String path, SearchQuery query, MultivaluedMap<String, String> params,
            SearchPage page, OperationOutcome warning) {
        StringBuilder json = new StringBuilder(256 + page.matches().size() * 512);
        json.append("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"");
        if (page.total() != null) {
            json.append(",\"total\":").append(page.total());
        }
        json.append(",\"link\":[");
        link(json, "self", base + "/" + path + queryString(params, null));
        if (page.next() != null) {
            json.append(',');
            link(json, "next", base + "/" + path + queryString(params, page.next()));
        }
        if (page.previous() != null) {
            json.append(',');
            link(json, "previous", base + "/" + path + queryString(params, page.previous()));
        }
        json.append(']');
        boolean any = false;
        for (StoredResource s : page.matches()) {
            json.append(any ? "," : ",\"entry\":[");
            any = true;
            entry(json, base, s, ResourceShaping.apply(s.json(), query), "match");
        }
        for (StoredResource s : page.included()) {
            json.append(any ? "," : ",\"entry\":[");
            any = true;
            entry(json, base, s, s.json(), "include");
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

    private static void entry(StringBuilder json, String base, StoredResource s, String body, String mode) {
        json.append("{\"fullUrl\":").append(quote(base + "/" + s.type() + "/" + s.id()))
                .append(",\"resource\":").append(body).append(",\"search\":{\"mode\":\"").append(mode).append("\"}}");
    }

    private static void link(StringBuilder json, String relation, String url) {
        json.append("{\"relation\":\"").append(relation).append("\",\"url\":").append(quote(url)).append('}');
    }

    static String queryString(MultivaluedMap<String, String> params, PageCursor cursor) {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getKey().equals("_cursor")) {
                continue;
            }
            for (String v : e.getValue()) {
                q.append(q.isEmpty() ? '?' : '&').append(encode(e.getKey())).append('=').append(encode(v));
            }
        }
        if (cursor != null) {
            q.append(q.isEmpty() ? '?' : '&').append("_cursor=").append(cursor.encode());
        }
        return q.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%2F", "/").replace("%3A", ":");
    }

    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
