package org.concilium.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/} renders (as {@code kustomize build} would), every manifest passes the Kubernetes
 * schema with no unknown field, and each site's objects obey the deployment rules: two or more
 * non-root replicas on a read-only root with a writable /tmp, health probes, requests and limits,
 * services and budgets that select exactly that site's pods, peer traffic admitted only from the
 * other sites, and every referenced ConfigMap and Secret present (the database by reference).
 */
class DeployManifestsTest {

    @TempDir
    Path tmp;

    @Test
    void the_base_passes_the_kubernetes_schema() {
        List<ObjectNode> base = Kustomize.build(Path.of("deploy/base"));
        assertThat(base).extracting(r -> r.get("kind").asText())
                .containsExactlyInAnyOrder("Deployment", "Service", "Service", "PodDisruptionBudget", "NetworkPolicy");
        base.forEach(KubernetesSchema::validate);
        NetworkPolicy np = (NetworkPolicy) KubernetesSchema.validate(kind(base, "NetworkPolicy"));
        assertThat(np.getSpec().getIngress()).allSatisfy(rule -> assertThat(ports(rule)).doesNotContain(8443));
    }

    @Test
    void one_site_overlay_with_an_external_database() {
        Path deploy = DeploySiteFiles.copyOfDeploy(tmp);
        DeploySiteFiles.prepareSiteOverlay(deploy.resolve("overlays/site"));
        Rendered r = Rendered.of(Kustomize.build(deploy.resolve("overlays/site")));

        assertThat(r.all).allSatisfy(m -> assertThat(m.getMetadata().getNamespace()).isEqualTo("concilium"));
        Deployment d = r.one(Deployment.class, "concilium");
        assertSiteRules(r, d, "hospital-a");
        assertThat(secretRef(d, "QUARKUS_DATASOURCE_REACTIVE_URL")).isEqualTo("concilium-database");
        assertThat(decoded(r.one(Secret.class, "concilium-database"), "uri")).startsWith("postgresql://");

        NetworkPolicyIngressRule peers = peerRule(r.one(NetworkPolicy.class, "concilium"));
        assertThat(peers.getFrom()).isNotEmpty().allSatisfy(from -> {
            assertThat(from.getIpBlock()).as("peers by address only").isNotNull();
            assertThat(from.getPodSelector()).isNull();
            assertThat(from.getNamespaceSelector()).isNull();
        });
    }

    @Test
    void three_site_demo_namespace_with_cloudnativepg() {
        Path deploy = DeploySiteFiles.copyOfDeploy(tmp);
        DeploySiteFiles.prepareDemoOverlay(deploy.resolve("overlays/demo-three-sites"));
        List<ObjectNode> rendered = Kustomize.build(deploy.resolve("overlays/demo-three-sites"));
        List<ObjectNode> clusters = rendered.stream().filter(m -> m.get("kind").asText().equals("Cluster")).toList();
        clusters.forEach(DeployManifestsTest::assertCloudNativePgCluster);
        Rendered r = Rendered.of(rendered.stream().filter(m -> !clusters.contains(m)).toList());

        List<String> sites = List.of("site-a", "site-b", "site-c");
        assertThat(r.all).allSatisfy(m -> {
            if (!(m instanceof io.fabric8.kubernetes.api.model.Namespace)) {
                assertThat(m.getMetadata().getNamespace()).isEqualTo("concilium-demo");
            }
        });
        assertThat(clusters).extracting(c -> c.get("metadata").get("name").asText())
                .containsExactlyInAnyOrder("site-a-concilium-db", "site-b-concilium-db", "site-c-concilium-db");
        for (String site : sites) {
            Deployment d = r.one(Deployment.class, site + "-concilium");
            assertSiteRules(r, d, site);
            assertThat(secretRef(d, "QUARKUS_DATASOURCE_REACTIVE_URL"))
                    .as("the app secret of this site's own CloudNativePG cluster").isEqualTo(site + "-concilium-db-app");

            NetworkPolicyIngressRule peers = peerRule(r.one(NetworkPolicy.class, site + "-concilium"));
            for (String other : sites) {
                Map<String, String> pod = r.one(Deployment.class, other + "-concilium").getSpec().getTemplate().getMetadata().getLabels();
                boolean admitted = peers.getFrom().stream().anyMatch(from -> LabelSelectors.matches(from.getPodSelector(), pod));
                assertThat(admitted).as("%s admits peer traffic from %s", site, other).isEqualTo(!other.equals(site));
            }
            assertThat(peers.getFrom()).allSatisfy(from -> assertThat(from.getIpBlock()).isNull());
        }
    }

    @Test
    void an_unknown_field_fails_the_schema_check() {
        ObjectNode d = kind(Kustomize.build(Path.of("deploy/base")), "Deployment");
        ((ObjectNode) d.at("/spec/template/spec/containers/0/readinessProbe/httpGet")).put("pathh", "/q/health/ready");
        assertThatThrownBy(() -> KubernetesSchema.validate(d)).hasMessageContaining("pathh");

        ObjectNode wrongGroup = kind(Kustomize.build(Path.of("deploy/base")), "PodDisruptionBudget");
        wrongGroup.put("apiVersion", "policy/v1beta1");
        assertThatThrownBy(() -> KubernetesSchema.validate(wrongGroup)).hasMessageContaining("policy/v1beta1");
    }

    @Test
    void the_renderer_refuses_kustomize_features_it_does_not_implement() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("k"));
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\nreplicas:\n  - name: concilium\n    count: 3\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("replicas");
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - ../../etc/passwd\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("outside the kustomization root");
    }

    /** The rules every site's node obeys, in either overlay. */
    private static void assertSiteRules(Rendered r, Deployment d, String site) {
        Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsEntry("concilium.org/site", site);
        assertThat(d.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(LabelSelectors.matches(d.getSpec().getSelector(), podLabels)).isTrue();

        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        Container c = pod.getContainers().get(0);
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
        Volume tmp = pod.getVolumes().stream().filter(v -> v.getEmptyDir() != null).findFirst().orElseThrow();
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo(tmp.getName());
            assertThat(m.getMountPath()).isEqualTo("/tmp");
            assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        });
        assertThat(c.getVolumeMounts()).filteredOn(m -> !m.getName().equals(tmp.getName()))
                .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());

        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).startsWith("/q/health/");
        for (String resource : List.of("cpu", "memory")) {
            assertThat(c.getResources().getRequests()).containsKey(resource);
            assertThat(c.getResources().getLimits()).containsKey(resource);
        }
        Set<String> portNames = c.getPorts().stream().map(p -> p.getName()).collect(Collectors.toSet());

        // every ConfigMap and Secret the pod reads is rendered, except the database secret (by reference)
        ConfigMap policy = r.one(ConfigMap.class, c.getEnvFrom().get(0).getConfigMapRef().getName());
        assertThat(policy.getData()).containsEntry("CONCILIUM_SITE_ID", site);
        Secret identity = r.one(Secret.class, pod.getVolumes().stream().filter(v -> v.getSecret() != null)
                .findFirst().orElseThrow().getSecret().getSecretName());
        assertThat(Base64.getDecoder().decode(identity.getData().get("kek"))).hasSize(32);
        ConfigMap network = r.one(ConfigMap.class, pod.getVolumes().stream().filter(v -> v.getConfigMap() != null)
                .findFirst().orElseThrow().getConfigMap().getName());
        NetworkDescriptor descriptor = NetworkDescriptor.fromJson(network.getData().get("descriptor.json"));
        assertThat(descriptor.certificate(site)).isEqualTo(Pem.parseCertificate(decoded(identity, "identity.crt")));
        assertThat(env(c, "CONCILIUM_NETWORK_DESCRIPTOR")).endsWith("/descriptor.json");

        // Services and the budget select exactly this site's pods
        List<Service> services = r.all(Service.class).stream()
                .filter(s -> LabelSelectors.matches(s.getSpec().getSelector(), podLabels)).toList();
        assertThat(services).hasSize(2).allSatisfy(s -> {
            assertThat(r.all(Deployment.class)).filteredOn(
                    o -> LabelSelectors.matches(s.getSpec().getSelector(), o.getSpec().getTemplate().getMetadata().getLabels()))
                    .containsExactly(d);
            assertThat(s.getSpec().getPorts()).allSatisfy(p -> assertThat(portNames).contains(p.getTargetPort().getStrVal()));
        });
        Service peer = services.stream().filter(s -> s.getSpec().getPorts().get(0).getTargetPort().getStrVal().equals("peer"))
                .findFirst().orElseThrow();
        assertThat(peer.getSpec().getPublishNotReadyAddresses()).as("peers must reach a node before it is ready").isTrue();
        String peerHost = URI.create(descriptor.site(site).orElseThrow().peerUrl()).getHost();
        if (peerHost.endsWith(".svc")) {
            assertThat(peerHost).isEqualTo(peer.getMetadata().getName() + "." + peer.getMetadata().getNamespace() + ".svc");
        }
        PodDisruptionBudget pdb = r.all(PodDisruptionBudget.class).stream()
                .filter(b -> LabelSelectors.matches(b.getSpec().getSelector(), podLabels)).findFirst().orElseThrow();
        assertThat(r.all(Deployment.class)).filteredOn(
                o -> LabelSelectors.matches(pdb.getSpec().getSelector(), o.getSpec().getTemplate().getMetadata().getLabels()))
                .containsExactly(d);
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isBetween(1, d.getSpec().getReplicas() - 1);

        NetworkPolicy np = r.all(NetworkPolicy.class).stream()
                .filter(p -> LabelSelectors.matches(p.getSpec().getPodSelector(), podLabels)).findFirst().orElseThrow();
        assertThat(r.all(Deployment.class)).filteredOn(
                o -> LabelSelectors.matches(np.getSpec().getPodSelector(), o.getSpec().getTemplate().getMetadata().getLabels()))
                .containsExactly(d);
        assertThat(np.getSpec().getPolicyTypes()).contains("Ingress");
        assertThat(np.getSpec().getIngress()).allSatisfy(rule -> assertThat(ports(rule)).as("no rule opens every port").isNotEmpty());
        assertThat(np.getSpec().getIngress()).filteredOn(rule -> ports(rule).contains(8443)).hasSize(1);
    }

    private static NetworkPolicyIngressRule peerRule(NetworkPolicy np) {
        NetworkPolicyIngressRule rule = np.getSpec().getIngress().stream().filter(i -> ports(i).contains(8443)).findFirst().orElseThrow();
        assertThat(ports(rule)).containsExactly(8443);
        assertThat(rule.getFrom()).as("peer port open to everyone").isNotEmpty();
        for (NetworkPolicyPeer from : rule.getFrom()) {
            assertThat(from.getIpBlock() != null || from.getPodSelector() != null).isTrue();
        }
        return rule;
    }

    private static List<Integer> ports(NetworkPolicyIngressRule rule) {
        return rule.getPorts() == null ? List.of() : rule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList();
    }

    private static String secretRef(Deployment d, String env) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals(env)).findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName();
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElseThrow();
    }

    private static String decoded(Secret s, String key) {
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static ObjectNode kind(List<ObjectNode> manifests, String kind) {
        return manifests.stream().filter(m -> m.get("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    /** No CloudNativePG schema on Maven Central: the fields we rely on, checked by hand. */
    private static void assertCloudNativePgCluster(JsonNode c) {
        assertThat(c.get("apiVersion").asText()).isEqualTo("postgresql.cnpg.io/v1");
        Set<String> known = Set.of("instances", "imageName", "primaryUpdateStrategy", "bootstrap", "storage", "resources", "postgresql");
        List<String> fields = new ArrayList<>();
        c.get("spec").fieldNames().forEachRemaining(fields::add);
        assertThat(known).containsAll(fields);
        assertThat(c.at("/spec/instances").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(c.at("/spec/bootstrap/initdb/database").asText()).isNotEmpty();
        assertThat(c.at("/spec/storage/size").asText()).isNotEmpty();
    }

    /** The rendered manifests bound to the model, each checked against the schema. */
    private record Rendered(List<HasMetadata> all) {

        static Rendered of(List<ObjectNode> manifests) {
            return new Rendered(manifests.stream().map(KubernetesSchema::validate).toList());
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return all.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            List<T> hits = all(type).stream().filter(m -> m.getMetadata().getName().equals(name)).toList();
            assertThat(hits).as("%s %s", type.getSimpleName(), name).hasSize(1);
            return hits.get(0);
        }
    }
}
