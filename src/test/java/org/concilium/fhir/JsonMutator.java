package org.concilium.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Mutates valid FHIR JSON: structurally (a node replaced, removed, duplicated) or as text (cut, spliced). */
final class JsonMutator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HostileValues values;

    JsonMutator(HostileValues values) {
        this.values = values;
    }

    /** One to three mutations of {@code json}; the result may or may not still be valid FHIR. */
    String mutate(String json) {
        String out = json;
        int n = 1 + values.nextInt(3);
        for (int i = 0; i < n; i++) {
            out = values.chance(70) ? structural(out) : textual(out);
        }
        return out;
    }

    /** A text mutation that always breaks the JSON syntax (the answer must be a 400). */
    String broken(String json) {
        return switch (values.nextInt(4)) {
            case 0 -> json.substring(0, Math.max(1, values.nextInt(Math.max(1, json.length() - 1))));
            case 1 -> json + "}";
            case 2 -> json.replaceFirst("\":", "\" ");
            default -> "{" + json;
        };
    }

    String structural(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (Exception e) {
            return textual(json);
        }
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = values.pick(containers);
        try {
            if (target instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                String name = values.pick(names);
                switch (values.nextInt(5)) {
                    case 0 -> o.remove(name);
                    case 1 -> o.set(name, MAPPER.readTree(values.jsonValue()));
                    case 2 -> o.set(name + values.pick(List.of("", "X", "_", "[x]")), MAPPER.readTree(values.jsonValue()));
                    case 3 -> o.set(name, MAPPER.createArrayNode().add(o.get(name)).add(o.get(name)));
                    default -> o.put(name, values.string());
                }
            } else if (target instanceof ArrayNode a && !a.isEmpty()) {
                int i = values.nextInt(a.size());
                switch (values.nextInt(3)) {
                    case 0 -> a.remove(i);
                    case 1 -> a.add(a.get(i).deepCopy());
                    default -> a.set(i, MAPPER.readTree(values.jsonValue()));
                }
            } else if (target instanceof ObjectNode o) {
                o.set(values.string(), MAPPER.readTree(values.jsonValue()));
            }
            return MAPPER.writeValueAsString(root);
        } catch (Exception e) {
            return textual(json);
        }
    }

    String textual(String json) {
        if (json.isEmpty()) {
            return values.string();
        }
        int at = values.nextInt(json.length());
        return switch (values.nextInt(5)) {
            case 0 -> json.substring(0, at);
            case 1 -> json.substring(0, at) + json.substring(Math.min(json.length(), at + 1 + values.nextInt(20)));
            case 2 -> json.substring(0, at) + values.pick(List.of("\\u0000", "\\ud800", "{", "[", "\"", ",", "\\"))
                    + json.substring(at);
            case 3 -> json.substring(0, at) + json.substring(at, Math.min(json.length(), at + 30)) + json.substring(at);
            default -> json.replace("\"", values.chance(50) ? "'" : "\"\"");
        };
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            node.forEach(child -> collect(child, out));
        }
    }
}
