package org.concilium.cli;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench bulk}: the Bulk Data paths side by side on one node and one data set. Loads a folder
 * of Bundles once, grows the set with {@code --copies} imports of its own export under new ids,
 * then alternates the fast path and the row path ({@code concilium.bulk.fast-path}, the node
 * restarted on the same data between them) for {@code --rounds} rounds. Each run times a system
 * {@code $export} (kick-off to last file downloaded), then {@code --repeats} times an {@code $import} of
 * {@code --import-lines} lines under new ids (creates) and the same lines again (updates: the versioned
 * path in both), and reports the medians with every sample. Prints one JSON object, with the load average around every run and the CPU time per resource of
 * each import, the node's JVM and its PostgreSQL apart ({@link ProcessCpu}): on a shared machine the
 * rate depends on the load, the CPU a resource costs does not.
 */
@Command(name = "bulk", description = "$export and $import rates, fast path and row path alternated on one node.")
final class BulkDataBench implements Callable<Integer> {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Option(names = "--data", paramLabel = "DIR", description = "Bundles to load (default ../shared/data/synthea-100)")
    Path data;
    @Option(names = "--copies", defaultValue = "4", paramLabel = "N",
            description = "imports of the loaded set under new ids before measuring (default ${DEFAULT-VALUE})")
    int copies;
    @Option(names = "--rounds", defaultValue = "2", paramLabel = "N", description = "rounds of both paths (default ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--import-lines", defaultValue = "5000", paramLabel = "N",
            description = "lines per timed $import (default ${DEFAULT-VALUE})")
    int importLines;
    @Option(names = "--repeats", defaultValue = "3", paramLabel = "N",
            description = "timed creates (each under new ids) and updates per run; medians reported (default ${DEFAULT-VALUE})")
    int repeats;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path source = data != null ? data : SharedDataDir.resolve("synthea-100");
        Path dir = Files.createTempDirectory("concilium-bench-bulk");
        int port = NodeProcess.freePort();
        ClientKey key = LocalAdmin.key(dir.resolve("admin"));
        HttpClient http = HttpClient.newHttpClient();
        String fhir;
        byte[] set;
        long loaded;
        try (NodeProcess node = start(port, dir, true)) {
            LocalAdmin.register(dir, key);
            fhir = node.baseUrl() + "/fhir";
            AccessTokenSource tokens = LocalAdmin.tokens(fhir, key);
            loaded = LoadCommand.load(List.of(source), fhir, 4, false, tokens).resources();
            set = BulkBench.export(http, fhir, tokens).ndjson();
            for (int c = 1; c <= copies; c++) {
                BulkBench.importNdjson(http, fhir, tokens, new BulkBench.Timed(0, 0, renamed(set, "copy" + c)));
            }
        }
        byte[] sample = sample(set, importLines);
        List<String> runs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (boolean fast : round % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                String before = loadAverage();
                try (NodeProcess node = start(port, dir, fast)) {
                    AccessTokenSource tokens = LocalAdmin.tokens(fhir, key);
                    BulkBench.Timed exported = BulkBench.export(http, fhir, tokens);
                    // warm-up: the node was just restarted (JIT, parse caches); not timed. As many lines as the
                    // timed runs: after 500 the JIT compiler threads still used twice the parsers' CPU (JFR)
                    byte[] warm = renamed(sample, "warm" + round + fast);
                    BulkBench.importNdjson(http, fhir, tokens, new BulkBench.Timed(0, 0, warm));
                    BulkBench.importNdjson(http, fhir, tokens, new BulkBench.Timed(0, 0, warm));
                    // several timed imports per run, the median reported: on these 2 cores one import's CPU per
                    // resource moved by half between identical runs (a checkpoint's full-page writes, autovacuum)
                    List<Sample> creates = new ArrayList<>();
                    List<Sample> updates = new ArrayList<>();
                    for (int r = 1; r <= repeats; r++) {
                        byte[] fresh = renamed(sample, "round" + round + fast + r);
                        ProcessCpu cpu0 = ProcessCpu.sample(node.pid(), dir);
                        BulkBench.Timed created = BulkBench.importNdjson(http, fhir, tokens, new BulkBench.Timed(0, 0, fresh));
                        ProcessCpu cpu1 = ProcessCpu.sample(node.pid(), dir);
                        BulkBench.Timed updated = BulkBench.importNdjson(http, fhir, tokens, new BulkBench.Timed(0, 0, fresh));
                        creates.add(new Sample(created, cpu1.minus(cpu0)));
                        updates.add(new Sample(updated, ProcessCpu.sample(node.pid(), dir).minus(cpu1)));
                    }
                    runs.add(String.format(Locale.ROOT, "{\"round\":%d,\"path\":\"%s\",\"exportResources\":%d,"
                            + "\"exportSeconds\":%.2f,\"exportResourcesPerSecond\":%.0f,\"importCreates\":%d,"
                            + "\"importCreatesPerSecond\":%.0f,\"importUpdates\":%d,\"importUpdatesPerSecond\":%.0f,"
                            + "\"importCreatesCpuMicrosPerResource\":{\"jvm\":%.0f,\"postgres\":%.0f},"
                            + "\"importUpdatesCpuMicrosPerResource\":{\"jvm\":%.0f,\"postgres\":%.0f},"
                            + "\"importCreatesPerSecondEach\":%s,\"importUpdatesPerSecondEach\":%s,"
                            + "\"loadAverageBefore\":\"%s\",\"loadAverageAfter\":\"%s\"}", round, fast ? "fast" : "rows",
                            exported.resources(), exported.seconds(), exported.perSecond(), creates.get(0).run().resources(),
                            median(creates, Sample::perSecond), updates.get(0).run().resources(),
                            median(updates, Sample::perSecond), median(creates, Sample::jvmPerResource),
                            median(creates, Sample::postgresPerResource), median(updates, Sample::jvmPerResource),
                            median(updates, Sample::postgresPerResource), each(creates), each(updates),
                            before, loadAverage()));
                    System.err.println(runs.get(runs.size() - 1));
                }
            }
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"bulk\",\"bundlesLoaded\":%d,\"copies\":%d,\"cores\":%d,"
                + "\"runs\":[%s]}%n", loaded, copies, Runtime.getRuntime().availableProcessors(), String.join(",", runs));
        return 0;
    }

    /** One timed import and the CPU the node's JVM and PostgreSQL spent during it. */
    private record Sample(BulkBench.Timed run, ProcessCpu cpu) {
        double perSecond() {
            return run.perSecond();
        }

        double jvmPerResource() {
            return run.resources() == 0 ? 0 : (double) cpu.jvmMicros() / run.resources();
        }

        double postgresPerResource() {
            return run.resources() == 0 ? 0 : (double) cpu.postgresMicros() / run.resources();
        }
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        double[] v = samples.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Each sample's rate with its CPU per resource, as a JSON array: [[rate, jvm, postgres], ...]. */
    private static String each(List<Sample> samples) {
        return samples.stream().map(x -> String.format(Locale.ROOT, "[%.0f,%.0f,%.0f]", x.perSecond(),
                x.jvmPerResource(), x.postgresPerResource())).collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    private static NodeProcess start(int port, Path dir, boolean fast) {
        NodeProcess node = NodeProcess.start(port, dir, List.of(),
                Map.of("CONCILIUM_BULK_FAST_PATH", Boolean.toString(fast)));
        try {
            return node.awaitReady(Duration.ofMinutes(6));
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** The NDJSON with every UUID (ids and the references to them) replaced by one of its own per {@code salt}. */
    private static byte[] renamed(byte[] ndjson, String salt) {
        Map<String, String> names = new HashMap<>();
        Matcher m = UUID_TEXT.matcher(new String(ndjson, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder(ndjson.length);
        while (m.find()) {
            m.appendReplacement(out, names.computeIfAbsent(m.group(), u -> UUID.nameUUIDFromBytes(
                    (salt + u).getBytes(StandardCharsets.UTF_8)).toString()));
        }
        m.appendTail(out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** About {@code lines} lines spread over the whole set (every type, not the first file's). */
    private static byte[] sample(byte[] ndjson, int lines) {
        String[] all = new String(ndjson, StandardCharsets.UTF_8).split("\n");
        int step = Math.max(1, all.length / Math.max(1, lines));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < all.length; i += step) {
            out.append(all[i]).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
