package org.concilium.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.concilium.store.EmbeddedDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/concilium image}'s tarball (built offline on scratch, as by default): its manifest and
 * config, its layers, its non-root user, and - where this machine lets root chroot - that the image's
 * own file system runs a node as that user against an external PostgreSQL given as a URI.
 */
class ImageIT {

    static final Path TAR = Path.of("target/concilium-image.tar");
    static ImageTarball image;

    @BeforeAll
    static void build() throws Exception {
        Instant start = Instant.now();
        ContainerImage.build(new ContainerImage.Plan(Path.of("target/quarkus-app"), Path.of(System.getProperty("java.home")),
                Path.of("target/image-build"), TAR, "concilium:it", Optional.empty()));
        System.out.printf("{\"image_build_s\":%.1f,\"bytes\":%d}%n",
                Duration.between(start, Instant.now()).toMillis() / 1e3, Files.size(TAR));
        image = ImageTarball.read(TAR);
    }

    @Test
    void config_names_a_non_root_user_the_java_entrypoint_and_the_ports() {
        JsonNode c = image.config().get("config");
        String user = c.get("User").asText();
        assertThat(user).matches("[0-9]+:[0-9]+");
        assertThat(Long.parseLong(user.split(":")[0])).isPositive();
        assertThat(Long.parseLong(user.split(":")[1])).isPositive();
        List<String> entrypoint = new ArrayList<>();
        c.get("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint).first().isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint).endsWith("-jar", "/app/quarkus-run.jar");
        assertThat(c.get("Cmd").get(0).asText()).isEqualTo("serve");
        assertThat(c.get("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(c.get("ExposedPorts").has("8443/tcp")).isTrue();
        assertThat(image.manifest().get(0).get("RepoTags").get(0).asText()).isEqualTo("concilium:it");
        assertThat(image.config().get("os").asText()).isEqualTo("linux");
        assertThat(image.config().get("architecture").asText()).isEqualTo("amd64");
    }

    @Test
    void layers_match_their_digests_and_hold_runtime_libraries_and_application_in_that_order() {
        List<String> diffIds = new ArrayList<>();
        image.config().get("rootfs").get("diff_ids").forEach(d -> diffIds.add(d.asText()));
        assertThat(image.layers()).extracting(ImageTarball.Layer::diffId).containsExactlyElementsOf(diffIds);
        assertThat(image.layers()).hasSize(4);

        Map<String, ImageTarball.Entry> system = image.layers().get(0).entries();
        assertThat(system).containsKeys("/etc/passwd", "/etc/group", "/tmp", "/var/lib/concilium", "/lib64/ld-linux-x86-64.so.2");
        assertThat(system.keySet()).anyMatch(p -> p.matches(".*/libc\\.so\\.6"));
        ImageTarball.Entry java = image.layers().get(1).entries().get("/opt/java/bin/java");
        assertThat(java).isNotNull();
        assertThat(java.executable()).isTrue();
        assertThat(image.layers().get(1).entries()).containsKey("/opt/java/lib/modules");
        assertThat(image.layers().get(2).entries().values()).filteredOn(e -> !e.directory())
                .extracting(ImageTarball.Entry::path)
                .allMatch(p -> p.startsWith("/app/lib/"))
                .anyMatch(p -> p.matches("/app/lib/main/ca\\.uhn\\.hapi\\.fhir\\.hapi-fhir-base-.*\\.jar"));
        assertThat(image.layers().get(3).entries()).containsKeys("/app/quarkus-run.jar", "/app/quarkus/quarkus-application.dat");
        assertThat(image.layers().get(3).entries().keySet()).anyMatch(p -> p.matches("/app/app/concilium-.*\\.jar"));
        // $validate and the DEQM report profiles need the conformance resources inside the image
        assertThat(image.layers().get(3).entries()).containsKey(
                "/app/fhir-profiles/davinci-deqm-4.0.0/StructureDefinition-indv-measurereport-deqm.json");
    }

    @Test
    void the_node_user_can_write_only_its_data_folder_and_tmp() {
        String uid = image.config().get("config").get("User").asText().split(":")[0];
        assertThat(image.fileSystem().values()).allSatisfy(e -> {
            assertThat(e.mode() & 06000).as("setuid/setgid %s", e.path()).isZero();
            if (e.path().equals("/tmp")) return;
            if (e.path().equals("/var/lib/concilium")) {
                assertThat(e.uid()).isEqualTo(Long.parseLong(uid));
                assertThat(e.mode() & 0077).as("data folder private to the node").isZero();
                return;
            }
            assertThat(e.uid()).as("owner of %s", e.path()).isZero();
            assertThat(e.mode() & 0022).as("group/world writable %s", e.path()).isZero();
        });
    }

    @Test
    void the_image_file_system_serves_fhir_as_its_user_with_an_external_database(@TempDir Path tmp) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare"))
                && Files.isExecutable(Path.of("/usr/sbin/chroot")),
                "needs root, unshare and chroot to run the image's file system without a container runtime");
        Path root = Files.createDirectories(tmp.resolve("rootfs"));
        for (ImageTarball.Layer layer : image.layers()) {
            Path gz = tmp.resolve(layer.file());
            extractLayer(gz, root);
        }
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("dev"));
        JsonNode c = image.config().get("config");
        List<String> command = new ArrayList<>();
        c.get("Entrypoint").forEach(e -> command.add(e.asText()));
        c.get("Cmd").forEach(e -> command.add(e.asText()));
        int port = freePort();
        command.addAll(List.of("--port", Integer.toString(port)));
        command.add(1, "-Xmx384m");
        String chroot = "mount -t proc proc '" + root + "/proc' && mount --rbind /dev '" + root + "/dev' && exec chroot --userspec="
                + c.get("User").asText() + " '" + root + "' " + String.join(" ", command);

        try (EmbeddedDatabase db = EmbeddedDatabase.start(tmp.resolve("postgres"))) {
            String uri = db.reactiveUrl().replace("postgresql://", "postgresql://postgres:postgres@");
            ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c", chroot)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("node.log").toFile());
            pb.environment().clear();
            pb.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", uri);
            pb.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres"); // as the manifests give them
            pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            Process node = pb.start();
            try {
                awaitReady(node, port, tmp.resolve("node.log"));
                String status = Files.readString(Path.of("/proc/" + node.pid() + "/status"));
                assertThat(status).containsPattern("(?m)^Uid:\\s+" + c.get("User").asText().split(":")[0] + "\\s");
                fhir(port).get("/fhir/metadata").then().statusCode(200).body("fhirVersion", equalTo("4.0.1"));
                // the node's access control runs in the image: a write without a bearer token is refused
                fhir(port).contentType("application/fhir+json")
                        .body("{\"resourceType\":\"Patient\",\"gender\":\"female\"}")
                        .post("/fhir/Patient").then().statusCode(401);
            } finally {
                node.destroy();
                if (!node.waitFor(30, TimeUnit.SECONDS)) node.destroyForcibly().waitFor();
            }
        }
    }

    private static RequestSpecification fhir(int port) {
        return RestAssured.given().baseUri("http://127.0.0.1:" + port).accept("application/fhir+json");
    }

    private static void awaitReady(Process node, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) throw new AssertionError("the node in the image exited:\n" + Files.readString(log));
            try {
                if (fhir(port).get("/q/health/ready").statusCode() == 200) return;
            } catch (Exception e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the node in the image did not get ready:\n" + Files.readString(log));
    }

    /** GNU tar as root keeps the layer's owners and modes, as a container runtime does. */
    private static void extractLayer(Path gzInTar, Path root) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "tar -xOf '" + TAR.toAbsolutePath() + "' '" + gzInTar.getFileName()
                + "' | tar -xz --warning=no-unknown-keyword -C '" + root + "'").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
