package org.concilium.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kustomize build} does, for the subset our overlays use:
 * resources (files and kustomization folders), generators with {@code disableNameSuffixHash},
 * strategic-merge patches by kind and name, {@code namePrefix} (with ConfigMap/Secret references in
 * pod templates rewritten), {@code labels} (with selectors) and {@code namespace}, applied in
 * kustomize's order. Anything else in a kustomization is refused, so the manifests cannot drift
 * into features this renderer would silently ignore.
 */
final class Kustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KNOWN = Set.of("apiVersion", "kind", "resources", "namespace", "namePrefix",
            "labels", "generatorOptions", "configMapGenerator", "secretGenerator", "patches");

    private Kustomize() {
    }

    /** The resources {@code dir/kustomization.yaml} stands for, in order. */
    static List<ObjectNode> build(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        ObjectNode k = (ObjectNode) readDocuments(dir.resolve("kustomization.yaml")).get(0);
        k.fieldNames().forEachRemaining(f -> {
            if (!KNOWN.contains(f)) throw new IllegalArgumentException(dir + ": unsupported kustomization field " + f);
        });
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(build(p));
            } else {
                readDocuments(inside(dir, p)).forEach(d -> out.add((ObjectNode) d));
            }
        }
        boolean hashSuffix = !k.path("generatorOptions").path("disableNameSuffixHash").asBoolean(false);
        if ((k.has("configMapGenerator") || k.has("secretGenerator")) && hashSuffix) {
            throw new IllegalArgumentException(dir + ": generators need generatorOptions.disableNameSuffixHash: true");
        }
        for (JsonNode g : k.path("configMapGenerator")) out.add(generate(dir, g, "ConfigMap"));
        for (JsonNode g : k.path("secretGenerator")) out.add(generate(dir, g, "Secret"));
        for (JsonNode p : k.path("patches")) {
            if (p.size() != 1 || !p.has("path")) throw new IllegalArgumentException(dir + ": only `patches: - path:` is supported");
            for (JsonNode patch : readDocuments(inside(dir, dir.resolve(p.get("path").asText()).normalize()))) {
                merge(only(out, patch.path("kind").asText(), patch.path("metadata").path("name").asText()), patch);
            }
        }
        if (k.has("namePrefix")) prefix(out, k.get("namePrefix").asText());
        for (JsonNode l : k.path("labels")) label(out, (ObjectNode) l.get("pairs"), l.path("includeSelectors").asBoolean());
        if (k.has("namespace")) {
            for (ObjectNode r : out) {
                if (!r.path("kind").asText().equals("Namespace")) meta(r).put("namespace", k.get("namespace").asText());
            }
        }
        return out;
    }

    static List<JsonNode> readDocuments(Path file) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isMissingNode()) docs.add(d);
            });
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** kustomize's default load restriction: files (not bases) must lie under the kustomization root. */
    private static Path inside(Path root, Path file) {
        if (!file.startsWith(root)) throw new IllegalArgumentException(file + " is outside the kustomization root " + root);
        return file;
    }

    private static ObjectNode generate(Path dir, JsonNode g, String kind) {
        ObjectNode r = YAML.createObjectNode();
        r.put("apiVersion", "v1").put("kind", kind);
        r.putObject("metadata").put("name", g.get("name").asText());
        ObjectNode data = r.putObject("data");
        g.fieldNames().forEachRemaining(f -> {
            if (!Set.of("name", "files", "envs", "literals", "type").contains(f)) {
                throw new IllegalArgumentException(dir + ": unsupported generator field " + f);
            }
        });
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        for (JsonNode f : g.path("files")) {
            String spec = f.asText();
            int eq = spec.indexOf('=');
            Path file = inside(dir, dir.resolve(eq < 0 ? spec : spec.substring(eq + 1)).normalize());
            entries.put(eq < 0 ? file.getFileName().toString() : spec.substring(0, eq), bytes(file));
        }
        for (JsonNode e : g.path("envs")) {
            for (String line : new String(bytes(inside(dir, dir.resolve(e.asText()).normalize())), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                int eq = line.indexOf('=');
                entries.put(line.substring(0, eq).strip(), line.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
            }
        }
        for (JsonNode l : g.path("literals")) {
            String s = l.asText();
            entries.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1).getBytes(StandardCharsets.UTF_8));
        }
        entries.forEach((key, value) -> data.put(key, kind.equals("Secret")
                ? Base64.getEncoder().encodeToString(value) : new String(value, StandardCharsets.UTF_8)));
        if (kind.equals("Secret")) r.put("type", g.path("type").asText("Opaque"));
        return r;
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static ObjectNode only(List<ObjectNode> resources, String kind, String name) {
        List<ObjectNode> hits = resources.stream()
                .filter(r -> r.path("kind").asText().equals(kind) && r.path("metadata").path("name").asText().equals(name))
                .toList();
        if (hits.size() != 1) throw new IllegalArgumentException("patch target " + kind + "/" + name + " matches " + hits.size());
        return hits.get(0);
    }

    /** Strategic merge: objects merge, lists of named objects merge by name, other lists are replaced. */
    static void merge(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode old = target.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else if (old instanceof ArrayNode a && e.getValue() instanceof ArrayNode p && named(a) && named(p)) {
                for (JsonNode item : p) {
                    JsonNode same = null;
                    for (JsonNode x : a) if (x.get("name").equals(item.get("name"))) same = x;
                    if (same == null) a.add(item.deepCopy()); else merge((ObjectNode) same, item);
                }
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static boolean named(ArrayNode a) {
        for (JsonNode x : a) if (!x.isObject() || !x.has("name")) return false;
        return true;
    }

    private static void prefix(List<ObjectNode> resources, String prefix) {
        Map<String, String> renamed = new HashMap<>(); // "Kind/old" -> new
        for (ObjectNode r : resources) {
            if (r.path("kind").asText().equals("Namespace")) continue;
            String old = meta(r).get("name").asText();
            meta(r).put("name", prefix + old);
            renamed.put(r.get("kind").asText() + "/" + old, prefix + old);
        }
        for (ObjectNode r : resources) {
            JsonNode pod = r.path("spec").path("template").path("spec");
            for (JsonNode v : pod.path("volumes")) {
                rename(v.path("secret"), "secretName", "Secret", renamed);
                rename(v.path("configMap"), "name", "ConfigMap", renamed);
            }
            for (JsonNode c : pod.path("containers")) {
                for (JsonNode f : c.path("envFrom")) {
                    rename(f.path("configMapRef"), "name", "ConfigMap", renamed);
                    rename(f.path("secretRef"), "name", "Secret", renamed);
                }
                for (JsonNode e : c.path("env")) {
                    rename(e.path("valueFrom").path("secretKeyRef"), "name", "Secret", renamed);
                    rename(e.path("valueFrom").path("configMapKeyRef"), "name", "ConfigMap", renamed);
                }
            }
        }
    }

    /** Only references to resources of this kustomization change, as in kustomize's nameReference. */
    private static void rename(JsonNode holder, String field, String kind, Map<String, String> renamed) {
        if (holder instanceof ObjectNode o && o.has(field)) {
            String now = renamed.get(kind + "/" + o.get(field).asText());
            if (now != null) o.put(field, now);
        }
    }

    private static void label(List<ObjectNode> resources, ObjectNode pairs, boolean selectors) {
        for (ObjectNode r : resources) {
            meta(r).withObjectProperty("labels").setAll(pairs.deepCopy());
            if (!selectors) continue;
            ObjectNode spec = r.path("spec") instanceof ObjectNode s ? s : null;
            if (spec == null) continue;
            switch (r.get("kind").asText()) {
                case "Deployment" -> {
                    spec.withObjectProperty("selector").withObjectProperty("matchLabels").setAll(pairs.deepCopy());
                    spec.withObjectProperty("template").withObjectProperty("metadata").withObjectProperty("labels").setAll(pairs.deepCopy());
                }
                case "Service" -> spec.withObjectProperty("selector").setAll(pairs.deepCopy());
                case "PodDisruptionBudget" -> addIfPresent(spec.path("selector"), pairs);
                case "NetworkPolicy" -> {
                    addIfPresent(spec.path("podSelector"), pairs);
                    for (JsonNode rule : spec.path("ingress")) {
                        for (JsonNode from : rule.path("from")) addIfPresent(from.path("podSelector"), pairs);
                    }
                }
                default -> { }
            }
        }
    }

    /** kustomize's {@code create: false} field specs: labels join a matchLabels that exists. */
    private static void addIfPresent(JsonNode selector, ObjectNode pairs) {
        if (selector.get("matchLabels") instanceof ObjectNode m) m.setAll(pairs.deepCopy());
    }

    private static ObjectNode meta(ObjectNode r) {
        return r.withObjectProperty("metadata");
    }
}
