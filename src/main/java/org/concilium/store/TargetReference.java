package org.concilium.store;

/**
 * A reference string as the index stores it: 'Type/id' (also the tail of an absolute URL or a
 * versioned reference) gives the target type and id; absolute URLs keep their url as well.
 */
public record TargetReference(String type, String id, String url) {

    public static TargetReference parse(String reference) {
        String r = reference.trim();
        String url = r.contains("://") || r.startsWith("urn:") ? r : null;
        String[] parts = r.split("/");
        int n = parts.length;
        if (n >= 4 && "_history".equals(parts[n - 2])) {
            return new TargetReference(parts[n - 4], parts[n - 3], url);
        }
        if (n >= 2 && !parts[n - 2].isEmpty() && Character.isUpperCase(parts[n - 2].charAt(0))) {
            return new TargetReference(parts[n - 2], parts[n - 1], url);
        }
        if (url == null && n == 1) {
            return new TargetReference(null, r, null);
        }
        return new TargetReference(null, null, url);
    }
}
