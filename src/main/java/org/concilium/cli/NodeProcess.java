package org.concilium.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A node started as a background process from this same build (same JVM binary and jar), for
 * benchmarks and local networks. Its output goes to {@code DATA/node.log}.
 */
public final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private NodeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** A node that ended before it was ready; {@link #portTaken()} tells a lost port race from a real fault. */
    public static final class NodeExited extends IllegalStateException {
        private final boolean portTaken;

        NodeExited(String message, boolean portTaken) {
            super(message);
            this.portTaken = portTaken;
        }

        public boolean portTaken() {
            return portTaken;
        }
    }

    public static NodeProcess start(int port, Path dataDir, List<String> extraArgs) {
        return start(port, dataDir, extraArgs, java.util.Map.of());
    }

    /** With extra environment variables, e.g. QUARKUS_DATASOURCE_REACTIVE_URL for an external database. */
    public static NodeProcess start(int port, Path dataDir, List<String> extraArgs, java.util.Map<String, String> env) {
        try {
            Files.createDirectories(dataDir);
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.add("-Xmx" + heap());
            cmd.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
            List<String> extra = extraJvmOptions(dataDir);
            if (extra.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
                cmd.add(DEFAULT_GC);
            }
            cmd.addAll(extra);
            cmd.add("-jar");
            cmd.add(ownJar().toString());
            cmd.add("serve");
            cmd.add("--port");
            cmd.add(Integer.toString(port));
            cmd.add("--data");
            cmd.add(dataDir.toAbsolutePath().toString());
            cmd.addAll(extraArgs);
            ProcessBuilder builder = new ProcessBuilder(cmd);
            builder.environment().putAll(env);
            Path log = dataDir.resolve("node.log");
            Process p = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new NodeProcess(p, port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a node on port " + port, e);
        }
    }

    /**
     * The node's collector unless CONCILIUM_NODE_JAVA_OPTS names one: the parallel collector. A node's
     * live set is a long-lived cache and its work comes in batches (evaluations); G1's concurrent
     * marking, started by each network query's allocations, took the 2 cores from the queries
     * (docs/network-protocol.md, "GC").
     */
    static final String DEFAULT_GC = "-XX:+UseParallelGC";

    /**
     * Heap of each node: system property concilium.node.heap, else CONCILIUM_NODE_HEAP (e.g. 4g),
     * else 2g. Size it to the site's data: the parsed-resource cache holds every resource.
     */
    static String heap() {
        String h = System.getProperty("concilium.node.heap", System.getenv("CONCILIUM_NODE_HEAP"));
        return h != null && h.matches("[0-9]+[mMgG]") ? h : "2g";
    }

    /**
     * Extra JVM options of every node, from CONCILIUM_NODE_JAVA_OPTS (split on spaces), e.g. a
     * flight recording for profiling: {@code -XX:StartFlightRecording=filename=/tmp/rec-{data}.jfr}.
     * {@code {data}} becomes the node's data directory name, so each node writes its own file.
     */
    static List<String> extraJvmOptions(Path dataDir) {
        String opts = System.getenv("CONCILIUM_NODE_JAVA_OPTS");
        if (opts == null || opts.isBlank()) {
            return List.of();
        }
        String name = dataDir.getFileName().toString();
        return java.util.Arrays.stream(opts.trim().split("\\s+")).map(o -> o.replace("{data}", name)).toList();
    }

    /** The quarkus-run.jar this JVM was started from. */
    static Path ownJar() {
        try {
            Path p = Path.of(NodeProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // classes live in target/quarkus-app/app/*.jar; the runner is two levels up
            Path runner = p.getParent().getParent().resolve("quarkus-run.jar");
            return Files.exists(runner) ? runner : Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until /q/health/ready answers UP, or fails when the process dies or time runs out. */
    public NodeProcess awaitReady(Duration timeout) {
        awaitAllReady(List.of(this), timeout);
        return this;
    }

    /**
     * Waits until every node is ready, and fails as soon as any of them ends: the nodes of one network wait
     * for each other (the key ceremony), so waiting on them one by one would sit out the whole timeout on a
     * live node whose peer had already died.
     */
    public static void awaitAllReady(List<NodeProcess> nodes, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<NodeProcess> waiting = new ArrayList<>(nodes);
        while (System.nanoTime() < deadline) {
            for (NodeProcess n : nodes) {
                n.failIfExited();
            }
            waiting.removeIf(n -> n.answersReady(http));
            if (waiting.isEmpty()) {
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException("node on port " + waiting.get(0).port + " was not ready within " + timeout);
    }

    private void failIfExited() {
        if (process.isAlive()) {
            return;
        }
        boolean portTaken;
        try {
            String text = Files.readString(log);
            // a taken peer port surfaces as a BindException, a taken HTTP port as Quarkus' own message
            portTaken = text.contains("Address already in use") || text.contains("seems to be in use by another process");
        } catch (IOException e) {
            portTaken = false;
        }
        throw new NodeExited("node on port " + port + " exited with " + process.exitValue()
                + (portTaken ? " (a port it was given was taken meanwhile)" : "") + "; see " + log, portTaken);
    }

    private boolean answersReady(HttpClient http) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the process to end by itself and returns its exit status (crash tests expect 137). */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("node on port " + port + " still runs after " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A free loopback port for a node to listen on. */
    public static int freePort() {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
