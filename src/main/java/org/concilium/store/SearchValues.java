package org.concilium.store;

import java.util.ArrayList;
import java.util.List;

/**
 * FHIR search value escaping: ',' separates OR alternatives, '|' and '$' separate parts, and a
 * backslash makes any of them (and itself) literal ({@code a\,b} is the one value "a,b").
 */
public final class SearchValues {

    private SearchValues() {
    }

    /** Splits on unescaped {@code separator}, keeping escapes in the parts (for a second split). */
    public static List<String> split(String raw, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                cur.append(c).append(raw.charAt(++i));
            } else if (c == separator) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** Removes the escapes: the literal value. */
    public static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                out.append(s.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
