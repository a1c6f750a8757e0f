package org.concilium.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A keyset paging position: the sort-key values and id of the row a page starts after
 * ({@code backwards}: before). Rows written after the first page are neither skipped nor repeated,
 * because the next page is "rows after this key", not "rows after position n". Opaque base64url
 * text in the {@code _cursor} parameter of next/previous links.
 */
public record PageCursor(boolean backwards, List<String> keys, String id) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String encode() {
        List<Object> all = new ArrayList<>();
        all.add(backwards ? "p" : "n");
        all.add(id);
        all.addAll(keys);
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(all));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static PageCursor decode(String token) {
        try {
            List<?> all = JSON.readValue(Base64.getUrlDecoder().decode(token.getBytes(StandardCharsets.US_ASCII)),
                    List.class);
            List<String> keys = new ArrayList<>();
            for (Object o : all.subList(2, all.size())) {
                keys.add((String) o);
            }
            return new PageCursor("p".equals(all.get(0)), keys, (String) all.get(1));
        } catch (Exception e) {
            throw new InvalidSearchException("_cursor is not a paging position this server issued");
        }
    }
}
