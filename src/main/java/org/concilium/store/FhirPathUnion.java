package org.concilium.store;

import java.util.ArrayList;
import java.util.List;

/** Splits a FHIRPath expression at its top-level {@code |} (outside parentheses, brackets and quotes). */
final class FhirPathUnion {

    private FhirPathUnion() {
    }

    static List<String> branches(String expression) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == '|' && depth == 0) {
                out.add(expression.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(expression.substring(start).trim());
        return out;
    }
}
