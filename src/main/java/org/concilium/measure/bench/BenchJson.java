package org.concilium.measure.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benches' one JSON writer: maps, lists, numbers (doubles to 3 places), text, and JSON already rendered. */
final class BenchJson {

    /** JSON text already rendered (e.g. a child process's output), written as it is. */
    record Raw(String json) {}

    private BenchJson() {
    }

    static String of(Object o) {
        if (o instanceof Raw r) {
            return r.json();
        }
        if (o instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, v) -> parts.add("\"" + k + "\": " + of(v)));
            return "{" + String.join(", ", parts) + "}";
        }
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(v -> parts.add("\n    " + of(v)));
            return "[" + String.join(",", parts) + "\n  ]";
        }
        if (o instanceof Double d) {
            return String.format(Locale.ROOT, "%.3f", d);
        }
        if (o instanceof Number n) {
            return n.toString();
        }
        return "\"" + String.valueOf(o).replace("\"", "'") + "\"";
    }
}
