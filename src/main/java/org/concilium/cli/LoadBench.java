package org.concilium.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.concilium.demo.DemoMeasures;
import org.concilium.demo.SyntheticPopulation;
import org.concilium.security.client.AccessTokenSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench load}: a node under load. Starts a local network, then
 * <ol>
 * <li>ingest: at each number of concurrent clients, loads fresh patients into site-1 through
 * {@code load} (one transaction per Bundle): resources/s, transactions/s, p50/p95 per transaction;</li>
 * <li>queries: at each number of concurrent queriers, every querier runs {@code --rounds} network
 * queries back to back (measures and periods in turn, entry nodes in turn): queries/min and p50/p95.</li>
 * </ol>
 * One JSON line per point, each with the 1-minute load average before and after it (the machine
 * is shared; read figures against it).
 */
@Command(name = "load", sortOptions = false, description = "Ingest and network queries under concurrent clients.")
final class LoadBench implements Callable<Integer> {

    private static final List<String> PERIODS = List.of("periodStart=2024-01-01&periodEnd=2024-12-31",
            "periodStart=2024-01-01&periodEnd=2024-06-30", "periodStart=2024-07-01&periodEnd=2024-12-31");

    @Option(names = "--sites", defaultValue = "3", paramLabel = "N", description = "sites (default ${DEFAULT-VALUE})")
    int sites;
    @Option(names = "--patients", defaultValue = "200", paramLabel = "N",
            description = "patients per site, and per ingest point (default ${DEFAULT-VALUE})")
    int patients;
    @Option(names = "--patients-per-bundle", defaultValue = "5", paramLabel = "N",
            description = "patients per transaction (default ${DEFAULT-VALUE})")
    int perBundle;
    @Option(names = "--clients", defaultValue = "1,4,8", paramLabel = "N,N",
            description = "concurrent load clients (default ${DEFAULT-VALUE})")
    String clients;
    @Option(names = "--queries", defaultValue = "1,5,20", paramLabel = "N,N",
            description = "concurrent network queries (default ${DEFAULT-VALUE})")
    String queries;
    @Option(names = "--rounds", defaultValue = "2", paramLabel = "N",
            description = "queries each querier runs back to back (default ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--node-heap", defaultValue = "1g", paramLabel = "SIZE",
            description = "heap of each node unless CONCILIUM_NODE_HEAP is set (default ${DEFAULT-VALUE})")
    String nodeHeap;

    @Override
    public Integer call() throws Exception {
        if (System.getenv("CONCILIUM_NODE_HEAP") == null) {
            System.setProperty("concilium.node.heap", nodeHeap);
        }
        Path dir = Files.createTempDirectory("concilium-bench-load");
        List<LocalNetwork.Site> network = LocalNetwork.up(dir, sites, List.of("--min-cell-size", "1"));
        int failures = 0;
        try {
            List<AccessTokenSource> tokens = network.stream().map(s -> LocalNetwork.tokens(dir, s)).toList();
            for (int c : ints(clients)) {
                failures += ingest(dir, network.get(0), tokens.get(0), c);
            }
            for (int i = 1; i < sites; i++) { // the other sites' data, untimed
                Path data = dir.resolve("data-site-" + i);
                SyntheticPopulation.writeBundles(data, 42, i, patients, perBundle);
                failures += LoadCommand.load(List.of(data), network.get(i).fhirBase(), 2, false, tokens.get(i))
                        .failures().size();
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            post(http, network.get(0).networkBase(), DemoMeasures.publication(DemoMeasures.IDS), tokens.get(0));
            for (String measure : DemoMeasures.IDS) { // every site compiles every measure once, untimed
                for (int e = 0; e < sites; e++) {
                    query(http, network, tokens, measure, PERIODS.get(0), e);
                }
            }
            for (int q : ints(queries)) {
                failures += queries(http, network, tokens, q);
            }
        } finally {
            LocalNetwork.remove(dir);
        }
        return failures == 0 ? 0 : 1;
    }

    /** Loads {@code patients} fresh patients into the site with {@code clients} concurrent transactions. */
    private int ingest(Path dir, LocalNetwork.Site site, AccessTokenSource tokens, int clients) throws IOException {
        Path data = dir.resolve("ingest-" + clients);
        // site index 0, a seed per point: new patients, so every point creates rather than updates
        SyntheticPopulation.writeBundles(data, 1000L + clients, 0, patients, perBundle);
        double before = loadAverage();
        LoadCommand.Summary s = LoadCommand.load(List.of(data), site.fhirBase(), clients, false, tokens);
        long[] ms = s.requestMillis().stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"load\",\"phase\":\"ingest\",\"clients\":%d,\"transactions\":%d,"
                + "\"resources\":%d,\"seconds\":%.2f,\"resourcesPerSecond\":%.0f,\"transactionsPerSecond\":%.2f,"
                + "\"transactionP50Ms\":%d,\"transactionP95Ms\":%d,\"transactionMaxMs\":%d,\"failures\":%d,"
                + "\"patientsPerTransaction\":%d,\"loadAverageBefore\":%.2f,\"loadAverageAfter\":%.2f,\"nodeHeap\":\"%s\"}%n",
                clients, s.requests(), s.resources(), s.seconds(), s.resourcesPerSecond(), s.requestsPerSecond(),
                pct(ms, 50), pct(ms, 95), ms.length == 0 ? 0 : ms[ms.length - 1], s.failures().size(), perBundle,
                before, loadAverage(), NodeProcess.heap());
        s.failures().forEach(f -> System.err.println("ingest failure: " + f));
        return s.failures().size();
    }

    /** {@code concurrent} queriers, each running {@link #rounds} queries back to back. */
    private int queries(HttpClient http, List<LocalNetwork.Site> network, List<AccessTokenSource> tokens, int concurrent)
            throws Exception {
        ConcurrentLinkedQueue<Long> millis = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrent);
        double before = loadAverage();
        long start;
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < concurrent; c++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    for (int r = 0; r < rounds; r++) {
                        int n = next.getAndIncrement();
                        String measure = DemoMeasures.IDS.get(n % DemoMeasures.IDS.size());
                        String period = PERIODS.get((n / DemoMeasures.IDS.size()) % PERIODS.size());
                        long t = System.nanoTime();
                        String failure = query(http, network, tokens, measure, period, n % network.size());
                        if (failure == null) {
                            millis.add((System.nanoTime() - t) / 1_000_000);
                        } else {
                            failed.add(failure);
                        }
                    }
                    return null;
                }));
            }
            start = System.nanoTime();
            go.countDown();
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] ms = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"load\",\"phase\":\"queries\",\"sites\":%d,\"patientsPerSite\":%d,"
                + "\"concurrent\":%d,\"queries\":%d,\"succeeded\":%d,\"seconds\":%.2f,\"queriesPerMinute\":%.1f,"
                + "\"p50Ms\":%d,\"p95Ms\":%d,\"maxMs\":%d,\"loadAverageBefore\":%.2f,\"loadAverageAfter\":%.2f,"
                + "\"nodeHeap\":\"%s\"}%n", network.size(), patients, concurrent, ms.length + failed.size(), ms.length,
                seconds, ms.length / seconds * 60, pct(ms, 50), pct(ms, 95), ms.length == 0 ? 0 : ms[ms.length - 1],
                before, loadAverage(), NodeProcess.heap());
        failed.forEach(f -> System.err.println("query failure: " + f));
        return failed.size();
    }

    /** One synchronous network query; null when it gave a report, else why not. */
    private static String query(HttpClient http, List<LocalNetwork.Site> network, List<AccessTokenSource> tokens,
            String measure, String period, int entry) throws IOException, InterruptedException {
        String url = network.get(entry).networkBase() + "/Measure/" + measure + "/$evaluate-measure?" + period;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
                .header("Authorization", tokens.get(entry).authorization()).header("Accept", "application/fhir+json")
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? null : url + " -> " + r.statusCode() + " "
                + r.body().substring(0, Math.min(300, r.body().length()));
    }

    private static void post(HttpClient http, String url, String body, AccessTokenSource tokens)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", tokens.authorization()).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("POST " + url + " -> " + r.statusCode() + " " + r.body());
        }
    }

    /** The 1-minute load average (the machine is shared: every figure is read against it). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
