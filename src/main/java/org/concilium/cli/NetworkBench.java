package org.concilium.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.concilium.demo.DemoMeasures;
import org.concilium.demo.SyntheticPopulation;
import org.concilium.layout.MeasureLayout;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.MeasureReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench network}: query latency and bytes per site of the encrypted network query, side by
 * side in the same run with the same question answered in plaintext (every site's local summary
 * fetched in parallel, mapped to its vector and summed: the protocol minus the cryptography).
 * One JSON line per (sites, patients per site): the medians, and the median of the per-pair ratios
 * (each rep times both paths back to back, alternating which goes first), which a loaded machine
 * disturbs far less than the ratio of two medians taken minutes apart; the 1-minute load average
 * before and after the timed reps.
 */
@Command(name = "network", sortOptions = false,
        description = "Encrypted against plaintext network query latency, and bytes per site.")
final class NetworkBench implements Callable<Integer> {

    private static final String PERIOD = "periodStart=2024-01-01&periodEnd=2024-12-31";
    private static final Pattern BYTES = Pattern.compile(
            "concilium_peer_bytes_total\\{direction=\"received\",peer=\"([^\"]+)\"[^}]*\\} ([0-9.E+]+)");

    @Option(names = "--sites", defaultValue = "3,5", paramLabel = "N,N", description = "network sizes (default ${DEFAULT-VALUE})")
    String sitesOption;
    @Option(names = "--patients", defaultValue = "1000,10000", paramLabel = "N,N",
            description = "patients per site (default ${DEFAULT-VALUE})")
    String patientsOption;
    @Option(names = "--reps", defaultValue = "5", paramLabel = "N", description = "queries per point (default ${DEFAULT-VALUE})")
    int reps;
    @Option(names = "--measure", defaultValue = DemoMeasures.HYPERTENSION_CONTROL, paramLabel = "ID")
    String measureId;
    @Option(names = "--node-heap", defaultValue = "4g", paramLabel = "SIZE",
            description = "heap of each node unless CONCILIUM_NODE_HEAP is set (default ${DEFAULT-VALUE})")
    String nodeHeap;
    @Option(names = "--logs", paramLabel = "DIR",
            description = "copy each node's log here before the throwaway network is removed (per-phase timings)")
    Path logs;
    @Option(names = "--warm-up", defaultValue = "3", paramLabel = "N",
            description = "untimed query pairs before the timed ones (default ${DEFAULT-VALUE})")
    int warmUp;
    @Option(names = "--thread-cpu", description = "also print the CPU per query split by kind of thread"
            + " (evaluation, GC, JIT, HTTP/TLS, PostgreSQL), per path, as one more JSON line per point")
    boolean threadCpu;
    @Option(names = "--label", defaultValue = "", paramLabel = "TEXT",
            description = "written into every JSON line, e.g. the build measured")
    String label;

    @Override
    public Integer call() throws Exception {
        int[] siteCounts = ints(sitesOption);
        int[] sizes = ints(patientsOption);
        HttpClient http = HttpClient.newHttpClient();
        if (System.getenv("CONCILIUM_NODE_HEAP") == null) {
            // at 10,000 patients a 2 GB node is GC-bound: measured 1.40-1.44 at 5 sites against 1.12 with 4 GB
            System.setProperty("concilium.node.heap", nodeHeap);
        }
        for (int n : siteCounts) {
            Path dir = Files.createTempDirectory("concilium-bench-network");
            List<LocalNetwork.Site> sites = LocalNetwork.up(dir, n, List.of());
            try {
                List<AccessTokenSource> tokens = sites.stream().map(s -> LocalNetwork.tokens(dir, s)).toList();
                post(http, sites.get(0).networkBase(), DemoMeasures.publication(List.of(measureId)), tokens.get(0));
                int loaded = 0;
                for (int size : sizes) {
                    for (int i = 0; i < n; i++) {
                        Path data = dir.resolve("data-" + size + "-" + i);
                        // add the patients this size needs beyond what is loaded (fresh seed per slice)
                        SyntheticPopulation.writeBundles(data, 1000L + size, i, size - loaded, 200);
                        LoadCommand.load(List.of(data), sites.get(i).fhirBase(), 2, false, tokens.get(i));
                    }
                    loaded = size;
                    measure(http, dir, sites, tokens, n, size, reps, warmUp, measureId, label, threadCpu);
                }
            } finally {
                keepLogs(dir, sites, n);
                LocalNetwork.remove(dir);
            }
        }
        return 0;
    }

    /** Copies DIR/site/node.log to LOGS/n-sites-site.log (the nodes are still running: a snapshot). */
    private void keepLogs(Path dir, List<LocalNetwork.Site> sites, int n) throws IOException {
        if (logs == null) {
            return;
        }
        Files.createDirectories(logs);
        for (LocalNetwork.Site s : sites) {
            Path log = dir.resolve(s.id()).resolve("node.log");
            if (Files.exists(log)) {
                Files.copy(log, logs.resolve(n + "-sites-" + s.id() + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void measure(HttpClient http, Path dir, List<LocalNetwork.Site> sites, List<AccessTokenSource> tokens, int n,
            int size, int reps, int warmUp, String measureId, String label, boolean byThread) throws Exception {
        String entry = sites.get(0).networkBase();
        String metricsUrl = sites.get(0).fhirBase().replace("/fhir", "/q/metrics");
        ThreadCpu threads = byThread ? new ThreadCpu(dir, sites) : null;
        NetworkCpu cpu = new NetworkCpu(dir, sites);
        for (int w = 0; w < warmUp; w++) { // JIT and caches warm on both paths before anything is timed
            timed(() -> get(http, entry + "/Measure/" + measureId + "/$evaluate-measure?" + PERIOD, tokens.get(0)),
                    cpu, new double[1], threads, new TreeMap<>(), "warm-up encrypted");
            timed(() -> plaintext(http, sites, tokens, measureId), cpu, new double[1], threads, new TreeMap<>(),
                    "warm-up plaintext");
        }
        double[] before = peerBytes(http, metricsUrl, sites);
        double loadBefore = loadAverage();
        List<Double> encrypted = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> encryptedCpu = new ArrayList<>();
        List<Double> plainCpu = new ArrayList<>();
        Map<String, Long> encryptedThreads = new TreeMap<>();
        Map<String, Long> plainThreads = new TreeMap<>();
        for (int r = 0; r < reps; r++) {
            // one pair per rep, back to back, the order alternating (ABBA...): whatever the other
            // processes on the machine do, both halves of a pair see nearly the same machine
            double e;
            double p;
            double[] ec = new double[1];
            double[] pc = new double[1];
            if (r % 2 == 0) {
                e = timed(() -> get(http, entry + "/Measure/" + measureId + "/$evaluate-measure?" + PERIOD, tokens.get(0)),
                        cpu, ec, threads, encryptedThreads, "encrypted");
                p = timed(() -> plaintext(http, sites, tokens, measureId), cpu, pc, threads, plainThreads, "plaintext");
            } else {
                p = timed(() -> plaintext(http, sites, tokens, measureId), cpu, pc, threads, plainThreads, "plaintext");
                e = timed(() -> get(http, entry + "/Measure/" + measureId + "/$evaluate-measure?" + PERIOD, tokens.get(0)),
                        cpu, ec, threads, encryptedThreads, "encrypted");
            }
            encryptedCpu.add(ec[0]);
            plainCpu.add(pc[0]);
            encrypted.add(e);
            plain.add(p);
            ratios.add(e / p);
        }
        double loadAfter = loadAverage();
        double[] after = peerBytes(http, metricsUrl, sites);
        double bytesPerSite = 0;
        for (int i = 0; i < n; i++) {
            bytesPerSite += (after[i] - before[i]) / reps;
        }
        bytesPerSite /= n;
        double e = median(encrypted);
        double p = median(plain);
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"network\",\"label\":\"%s\",\"measure\":\"%s\",\"sites\":%d,"
                + "\"patientsPerSite\":%d,\"encryptedMedianMs\":%.1f,\"plaintextMedianMs\":%.1f,\"overhead\":%.3f,"
                + "\"overheadPairMedian\":%.3f,\"addedLatencyMedianMs\":%.1f,\"encryptedMs\":%s,\"plaintextMs\":%s,"
                + "\"pairRatios\":%s,\"bytesSentPerSitePerQuery\":%.0f,\"reps\":%d,\"warmUpPairs\":%d,\"nodeHeap\":\"%s\","
                + "\"loadAverage1mBefore\":%.2f,\"loadAverage1mAfter\":%.2f,\"encryptedCpuMedianMs\":%.0f,"
                + "\"plaintextCpuMedianMs\":%.0f,\"addedCpuMedianMs\":%.0f,\"encryptedCpuMs\":%s,\"plaintextCpuMs\":%s}%n",
                label, measureId, n, size, e, p, e / p,
                median(ratios), e - p, json(encrypted), json(plain), json(ratios), bytesPerSite, reps, warmUp, NodeProcess.heap(),
                loadBefore, loadAfter, median(encryptedCpu), median(plainCpu), median(encryptedCpu) - median(plainCpu),
                json(encryptedCpu), json(plainCpu));
        if (byThread) {
            System.out.printf(Locale.ROOT, "{\"benchmark\":\"network-cpu-by-thread\",\"label\":\"%s\",\"sites\":%d,"
                    + "\"patientsPerSite\":%d,\"reps\":%d,\"encryptedCpuMsPerQuery\":%s,\"plaintextCpuMsPerQuery\":%s}%n",
                    label, n, size, reps, perQuery(encryptedThreads, reps), perQuery(plainThreads, reps));
        }
        System.out.flush();
    }

    /** Mean milliseconds per query of each thread group, as a JSON object, busiest first. */
    private static String perQuery(Map<String, Long> totals, int reps) {
        StringBuilder b = new StringBuilder("{");
        totals.entrySet().stream().filter(en -> en.getValue() != 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(en -> b
                .append(b.length() == 1 ? "" : ",").append('"').append(en.getKey().replace("\"", "'")).append("\":")
                .append(en.getValue() / reps));
        return b.append('}').toString();
    }

    private interface Timed {
        Object run() throws Exception;
    }

    /** Wall milliseconds of one call; {@code cpuOut[0]} gets the CPU milliseconds the network spent meanwhile. */
    private static double timed(Timed call, NetworkCpu cpu, double[] cpuOut, ThreadCpu threads,
            Map<String, Long> threadTotals, String path) throws Exception {
        Map<String, Long> th0 = threads == null ? null : threads.sample();
        double c0 = cpu.millis();
        long t0 = System.nanoTime();
        call.run();
        double wall = (System.nanoTime() - t0) / 1e6;
        cpuOut[0] = cpu.millis() - c0;
        if (threads != null) {
            Map<String, Long> used = ThreadCpu.millis(th0, threads.sample());
            used.forEach((k, v) -> threadTotals.merge(k, v, Long::sum));
            System.err.printf(Locale.ROOT, "{\"query\":\"%s\",\"wallMs\":%.0f,\"cpuMs\":%.0f,\"byThread\":%s}%n",
                    path, wall, cpuOut[0], perQuery(used, 1));
        }
        return wall;
    }

    /** The 1-minute load average (Linux /proc/loadavg), or -1 where there is none. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String json(List<Double> xs) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < xs.size(); i++) {
            b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", xs.get(i)));
        }
        return b.append(']').toString();
    }

    /** The same question without encryption: each site's local summary, in parallel, summed as vectors. */
    private static long[] plaintext(HttpClient http, List<LocalNetwork.Site> sites, List<AccessTokenSource> tokens,
            String measureId) throws Exception {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<String>> reports = new ArrayList<>();
            for (int i = 0; i < sites.size(); i++) {
                LocalNetwork.Site s = sites.get(i);
                AccessTokenSource t = tokens.get(i);
                reports.add(pool.submit(() -> get(http, s.fhirBase() + "/Measure/" + measureId
                        + "/$evaluate-measure?reportType=population&" + PERIOD, t)));
            }
            MeasureLayout layout = MeasureLayout.of(org.concilium.measure.MeasureModel.of(DemoMeasures.measure(measureId)));
            List<long[]> vectors = new ArrayList<>();
            for (Future<String> f : reports) {
                vectors.add(layout.encode(FhirJson.parse(MeasureReport.class, f.get())));
            }
            return layout.sum(vectors);
        } finally {
            pool.shutdown();
        }
    }

    private static double[] peerBytes(HttpClient http, String metricsUrl, List<LocalNetwork.Site> sites)
            throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double[] out = new double[sites.size()];
        Matcher m = BYTES.matcher(text);
        while (m.find()) {
            for (int i = 0; i < sites.size(); i++) {
                if (sites.get(i).id().equals(m.group(1))) {
                    out[i] = Double.parseDouble(m.group(2));
                }
            }
        }
        return out;
    }

    private static void post(HttpClient http, String url, String body, AccessTokenSource tokens)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", tokens.authorization()).header("Content-Type",
                "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("POST " + url + " -> " + r.statusCode() + " " + r.body());
        }
    }

    private static String get(HttpClient http, String url, AccessTokenSource tokens)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", tokens.authorization()).header("Accept",
                "application/fhir+json").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
