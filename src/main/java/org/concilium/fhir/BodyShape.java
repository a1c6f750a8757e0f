package org.concilium.fhir;

/**
 * Checks a request body's shape before the FHIR parser sees it: nesting depth (a deep body would
 * recurse the parser off its stack) and, for XML, no DTD at all — FHIR XML never carries one, and
 * refusing it outright shuts out external entities (XXE) and entity expansion ("billion laughs").
 */
final class BodyShape {

    /** Deeper than any real resource (a Bundle of Questionnaires with nested items stays far below). */
    static final int MAX_DEPTH = 100;

    private BodyShape() {
    }

    static void check(String body, FhirFormat format) {
        int depth = format == FhirFormat.XML ? xmlDepth(body) : jsonDepth(body);
        if (depth > MAX_DEPTH) {
            throw FhirException.badRequest("the body nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    /** Deepest object/array nesting outside string literals; stops counting once past the limit. */
    static int jsonDepth(String body) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                max = Math.max(max, ++depth);
                if (max > MAX_DEPTH) {
                    return max;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return max;
    }

    /** Deepest element nesting; refuses DOCTYPE and ENTITY declarations anywhere. */
    static int xmlDepth(String body) {
        int depth = 0;
        int max = 0;
        int i = 0;
        while ((i = body.indexOf('<', i)) >= 0) {
            if (body.startsWith("<!--", i)) {
                int end = body.indexOf("-->", i + 4);
                i = end < 0 ? body.length() : end + 3;
                continue;
            }
            if (body.startsWith("<!", i)) {
                if (body.startsWith("<![CDATA[", i)) {
                    int end = body.indexOf("]]>", i);
                    i = end < 0 ? body.length() : end + 3;
                    continue;
                }
                throw FhirException.badRequest("XML bodies may not carry a DTD, DOCTYPE or ENTITY declaration");
            }
            if (body.startsWith("<?", i)) {
                i += 2;
                continue;
            }
            boolean closing = body.startsWith("</", i);
            int end = tagEnd(body, i);
            boolean selfClosing = end > 0 && body.charAt(end - 1) == '/';
            if (closing) {
                depth--;
            } else if (!selfClosing) {
                max = Math.max(max, ++depth);
                if (max > MAX_DEPTH) {
                    return max;
                }
            } else {
                max = Math.max(max, depth + 1);
            }
            i = end < 0 ? body.length() : end + 1;
        }
        return max;
    }

    /** The index of the '>' ending the tag that starts at {@code start}, skipping quoted attribute values. */
    private static int tagEnd(String body, int start) {
        char quote = 0;
        for (int i = start + 1; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i;
            }
        }
        return -1;
    }
}
