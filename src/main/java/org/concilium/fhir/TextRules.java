package org.concilium.fhir;

import java.util.List;
import java.util.Map;
import org.concilium.store.FhirJson;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR strings hold Unicode text without control characters other than tab, CR and LF
 * (R4 datatypes, "string"); PostgreSQL refuses NUL and unpaired surrogates with a driver error.
 * Every value that reaches the store or a query is checked here first, so such input is a 400.
 */
final class TextRules {

    private TextRules() {
    }

    /** Every primitive of the resource (ids, codes, strings, extension URLs, narrative). */
    static void check(Resource resource, String where) {
        var terser = FhirJson.context().newTerser();
        for (IPrimitiveType<?> p : terser.getAllPopulatedChildElementsOfType(resource, IPrimitiveType.class)) {
            requireText(p.getValueAsString(), where);
        }
        for (Narrative n : terser.getAllPopulatedChildElementsOfType(resource, Narrative.class)) {
            requireText(n.getDivAsString(), where);
        }
    }

    /**
     * True when no value parsed from this JSON text can break these rules, so the walk over the
     * parsed resource ({@link #check(Resource, String)}) can be skipped: the text itself is clean,
     * has none of the escapes that spell a control character, a lone surrogate or a non-character
     * (backslash followed by u, b or f), and no {@code &#} (a character reference in the narrative's
     * XHTML). A conservative filter: anything else gets the full check. The walk had been a third
     * of the parse time of a bulk import line (JFR, Synthea).
     */
    static boolean plainJson(String json) {
        if (problem(json) != null || json.contains("&#")) {
            return false;
        }
        for (int i = json.indexOf('\\'); i >= 0 && i + 1 < json.length(); i = json.indexOf('\\', i + 2)) {
            char next = json.charAt(i + 1);
            if (next == 'u' || next == 'b' || next == 'f') {
                return false;
            }
        }
        return true;
    }

    /** Query parameters (names and values). */
    static void check(Map<String, List<String>> params, String where) {
        params.forEach((k, values) -> {
            requireText(k, where);
            values.forEach(v -> requireText(v, where));
        });
    }

    static void requireText(String s, String where) {
        String problem = problem(s);
        if (problem != null) {
            throw FhirException.invalid(where + " contains " + problem + ", which FHIR text may not hold", null);
        }
    }

    /** Null when {@code s} is acceptable text, else what is wrong with it. */
    static String problem(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return String.format("the control character U+%04X at position %d", (int) c, i);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return String.format("an unpaired surrogate U+%04X at position %d", (int) c, i);
            }
            if (Character.isLowSurrogate(c)) {
                return String.format("an unpaired surrogate U+%04X at position %d", (int) c, i);
            }
            if (c == '\uFFFE' || c == '\uFFFF') {
                return String.format("the non-character U+%04X at position %d", (int) c, i);
            }
        }
        return null;
    }
}
