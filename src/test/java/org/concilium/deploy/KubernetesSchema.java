package org.concilium.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a manifest against the Kubernetes API schema as the fabric8 model encodes it: the
 * apiVersion must be the one of its kind, every field must be known, wrongly typed values fail to
 * bind. The model keeps unknown fields in {@code additionalProperties}; any entry there is an error
 * (kubectl's {@code --validate=strict}).
 */
final class KubernetesSchema {

    record Kind(String apiVersion, Class<? extends HasMetadata> type) {
    }

    static final Map<String, Kind> KINDS = Map.of(
            "Deployment", new Kind("apps/v1", Deployment.class),
            "Service", new Kind("v1", Service.class),
            "ConfigMap", new Kind("v1", ConfigMap.class),
            "Secret", new Kind("v1", Secret.class),
            "Namespace", new Kind("v1", Namespace.class),
            "PodDisruptionBudget", new Kind("policy/v1", PodDisruptionBudget.class),
            "NetworkPolicy", new Kind("networking.k8s.io/v1", NetworkPolicy.class));

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // unknown fields are collected instead
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private KubernetesSchema() {
    }

    /** Binds the manifest to its model class; throws listing every problem found. */
    static HasMetadata validate(JsonNode manifest) {
        String kind = manifest.path("kind").asText();
        Kind k = KINDS.get(kind);
        if (k == null) throw new IllegalArgumentException("no schema for kind " + kind);
        List<String> problems = new ArrayList<>();
        if (!k.apiVersion().equals(manifest.path("apiVersion").asText())) {
            problems.add(kind + ": apiVersion " + manifest.path("apiVersion").asText() + ", expected " + k.apiVersion());
        }
        HasMetadata bound;
        try {
            bound = JSON.treeToValue(manifest, k.type());
        } catch (Exception e) {
            throw new IllegalArgumentException(kind + ": does not bind to the schema: " + e.getMessage(), e);
        }
        String name = kind + "/" + manifest.path("metadata").path("name").asText();
        if (manifest.path("metadata").path("name").asText().isEmpty()) problems.add(name + ": metadata.name missing");
        unknownFields(bound, name, problems, new IdentityHashMap<>());
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("\n", problems));
        return bound;
    }

    private static void unknownFields(Object node, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) return;
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) unknownFields(o, path + "[" + i++ + "]", problems, seen);
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.forEach((key, value) -> unknownFields(value, path + "." + key, problems, seen));
            return;
        }
        if (!node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) return;
        for (Method g : node.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || !g.getName().startsWith("get")
                    || g.getDeclaringClass() == Object.class || Set.of("getClass").contains(g.getName())) continue;
            Object value;
            try {
                value = g.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (g.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                String field = Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4);
                unknownFields(value, path + "." + field, problems, seen);
            }
        }
    }
}
