package org.concilium.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Names of the advisory locks writers take (see {@link ResourceWriter#lock}). */
public final class WriteLocks {

    private WriteLocks() {
    }

    /** The lock of conditional creates of {@code type} with these criteria, whatever their order. */
    public static String conditional(String type, Map<String, List<String>> criteria) {
        Map<String, List<String>> sorted = new TreeMap<>();
        criteria.forEach((k, v) -> sorted.put(k, v.stream().sorted().toList()));
        return "if-none-exist " + type + "?" + sorted.entrySet().stream()
                .map(e -> e.getKey() + "=" + String.join("&" + e.getKey() + "=", e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** 64 bits of SHA-256: a collision only makes two unrelated writers wait for each other. */
    static long hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
