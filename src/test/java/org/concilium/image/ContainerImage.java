package org.concilium.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The node's container image as a tarball ({@code docker load}, {@code podman load},
 * {@code kind load image-archive}, {@code skopeo copy docker-archive:...}), built by Jib without a
 * Docker daemon. Default: offline, on {@code scratch}, with a jlink-ed runtime from the build JDK and
 * the C libraries it needs. With a base image (e.g. {@code eclipse-temurin:21-jre}) Jib pulls it from
 * its registry and the image carries only the application, run by the base image's {@code java}.
 *
 * <p>Layers, least often changed first: system (passwd, C libraries, /tmp, the data folder), Java
 * runtime, third-party libraries, application. The node runs as {@value #USER}, never root.
 */
public final class ContainerImage {

    static final String USER = "10001:10001";
    static final String APP = "/app";
    static final String JAVA = "/opt/java";
    static final String DATA = "/var/lib/concilium";
    private static final Instant EPOCH = Instant.ofEpochSecond(1); // reproducible layers, as Jib's default

    /** What to build from and where to. {@code baseImage} empty = offline scratch build. */
    public record Plan(Path quarkusApp, Path jdk, Path workDir, Path output, String tag, Optional<String> baseImage) {
    }

    private ContainerImage() {
    }

    public static void build(Plan plan) throws Exception {
        if (!Files.isRegularFile(plan.quarkusApp().resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(plan.quarkusApp() + " holds no Quarkus application: run ./mvnw package first");
        }
        Files.createDirectories(plan.workDir());
        JibContainerBuilder image;
        String java;
        if (plan.baseImage().isPresent()) {
            image = Jib.from(plan.baseImage().get());
            java = "java"; // the base image's PATH
        } else {
            Path jre = plan.workDir().resolve("jre");
            JlinkRuntime.link(plan.jdk(), jre);
            image = Jib.fromScratch()
                    .addFileEntriesLayer(systemLayer(jre, plan.workDir()))
                    .addFileEntriesLayer(tree("java-runtime", jre, JAVA).build());
            java = JAVA + "/bin/java";
        }
        Path app = plan.quarkusApp();
        FileEntriesLayer.Builder application = tree("application", app.resolve("quarkus"), APP + "/quarkus");
        addTree(application, app.resolve("app"), APP + "/app");
        application.addEntry(app.resolve("quarkus-run.jar"), AbsoluteUnixPath.get(APP + "/quarkus-run.jar"),
                FilePermissions.DEFAULT_FILE_PERMISSIONS, EPOCH);
        // the conformance resources $validate and the DEQM profiles rest on (ProfileValidator)
        Path profiles = app.toAbsolutePath().getParent().getParent().resolve("fhir-profiles");
        if (Files.isDirectory(profiles)) {
            addTree(application, profiles, APP + "/fhir-profiles");
        }
        image.addFileEntriesLayer(tree("libraries", app.resolve("lib"), APP + "/lib").build())
                .addFileEntriesLayer(application.build())
                .setEntrypoint(java, "-XX:+UseParallelGC", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                        "-Dconcilium.data-dir=" + DATA,
                        "-Dconcilium.fhir.profiles-dir=" + APP + "/fhir-profiles", "-jar", APP + "/quarkus-run.jar")
                .setProgramArguments("serve")
                .setUser(USER)
                .setWorkingDirectory(AbsoluteUnixPath.get(DATA))
                .addExposedPort(Port.tcp(8080))
                .addExposedPort(Port.tcp(8443))
                .addLabel("org.opencontainers.image.title", "concilium")
                .addLabel("org.opencontainers.image.description", "Concilium node: FHIR R4 + multiparty encrypted measures");
        Files.createDirectories(plan.output().toAbsolutePath().getParent());
        Containerizer to = Containerizer.to(TarImage.at(plan.output()).named(plan.tag()))
                .setOfflineMode(plan.baseImage().isEmpty())
                .setBaseImageLayersCache(plan.workDir().resolve("jib-cache/base"))
                .setApplicationLayersCache(plan.workDir().resolve("jib-cache/application"))
                .setToolName("concilium-image");
        image.containerize(to);
    }

    /** An account for the node (no shell), the C libraries of the runtime, a writable /tmp and data folder. */
    private static FileEntriesLayer systemLayer(Path jre, Path work) throws IOException, InterruptedException {
        Path etc = Files.createDirectories(work.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\n"
                + "concilium:x:10001:10001:Concilium node:" + DATA + ":/sbin/nologin\n", StandardCharsets.US_ASCII);
        Files.writeString(etc.resolve("group"), "root:x:0:\nconcilium:x:10001:\n", StandardCharsets.US_ASCII);
        Path empty = Files.createDirectories(work.resolve("empty-dir"));
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("system")
                .addEntry(etc.resolve("passwd"), AbsoluteUnixPath.get("/etc/passwd"))
                .addEntry(etc.resolve("group"), AbsoluteUnixPath.get("/etc/group"))
                .addEntry(new FileEntry(empty, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"), EPOCH))
                .addEntry(new FileEntry(empty, AbsoluteUnixPath.get(DATA), FilePermissions.fromOctalString("700"), EPOCH, USER));
        for (Path lib : JlinkRuntime.systemLibraries(jre)) {
            layer.addEntry(lib.toRealPath(), AbsoluteUnixPath.get(lib.toString()), FilePermissions.fromOctalString("755"), EPOCH);
        }
        return layer.build();
    }

    private static FileEntriesLayer.Builder tree(String name, Path source, String target) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        addTree(layer, source, target);
        return layer;
    }

    /** Files keep their executable bit; everything is owned by root and not writable by the node. */
    private static void addTree(FileEntriesLayer.Builder layer, Path source, String target) throws IOException {
        List<Path> paths;
        try (Stream<Path> s = Files.walk(source)) {
            paths = s.sorted().toList();
        }
        for (Path p : paths) {
            String rel = source.relativize(p).toString();
            AbsoluteUnixPath to = AbsoluteUnixPath.get(rel.isEmpty() ? target : target + "/" + rel);
            boolean exec = Files.isDirectory(p) || Files.isExecutable(p);
            layer.addEntry(p, to, FilePermissions.fromOctalString(exec ? "755" : "644"), EPOCH);
        }
    }

    /** {@code bin/concilium image [--output FILE] [--tag NAME] [--base IMAGE]}. */
    public static void main(String[] args) throws Exception {
        Path output = Path.of("target/concilium-image.tar");
        String tag = "concilium:latest";
        Optional<String> base = Optional.empty();
        List<String> rest = new ArrayList<>(List.of(args));
        for (int i = 0; i + 1 < rest.size(); i += 2) {
            switch (rest.get(i)) {
                case "--output" -> output = Path.of(rest.get(i + 1));
                case "--tag" -> tag = rest.get(i + 1);
                case "--base" -> base = Optional.of(rest.get(i + 1));
                default -> throw new IllegalArgumentException("unknown option " + rest.get(i));
            }
        }
        long start = System.nanoTime();
        build(new Plan(Path.of("target/quarkus-app"), Path.of(System.getProperty("java.home")),
                Path.of("target/image-build"), output, tag, base));
        System.out.printf("{\"image\":\"%s\",\"tag\":\"%s\",\"base\":\"%s\",\"bytes\":%d,\"seconds\":%.1f}%n", output, tag,
                base.orElse("scratch"), Files.size(output), (System.nanoTime() - start) / 1e9);
    }
}
