package org.concilium.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes an {@link AuditRecord}'s text storable. Request paths and queries come from the caller and may hold
 * U+0000 (from {@code %00}) or unpaired surrogates, which PostgreSQL's jsonb refuses: such an event, and before
 * this its whole batch, would not be written. Each is replaced by U+FFFD, so the event still says that the
 * request carried something unprintable, and it is written.
 */
final class AuditText {

    private AuditText() {
    }

    static AuditRecord clean(AuditRecord r) {
        Map<String, String> details = new LinkedHashMap<>();
        r.details().forEach((k, v) -> details.put(clean(k), clean(v)));
        return new AuditRecord(r.at(), clean(r.clientId()), clean(r.interaction()), clean(r.method()), clean(r.path()),
                clean(r.resourceType()), clean(r.resourceId()), clean(r.query()), clean(r.patient()), r.status(),
                clean(r.detail()), java.util.Collections.unmodifiableMap(details));
    }

    static String clean(String s) {
        if (s == null || storable(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean storable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
