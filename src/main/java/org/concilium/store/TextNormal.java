package org.concilium.store;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** The case- and accent-insensitive form string search compares (FHIR string default and :contains). */
public final class TextNormal {

    /** Index values are cut here, like HAPI does, so one long text cannot bloat the btree. */
    public static final int MAX = 200;
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private TextNormal() {
    }

    public static String of(String s) {
        String n = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
        return n.length() > MAX ? n.substring(0, MAX) : n;
    }

    /** Escapes LIKE metacharacters so a user value matches literally. */
    public static String likeLiteral(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
