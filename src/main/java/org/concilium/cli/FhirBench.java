package org.concilium.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench fhir}: starts a fresh node, loads a folder of Bundles through {@code load} (ingest
 * rate), then times the Observation search of the issue for every loaded patient (p50/p95), the same
 * with {@code _sort} and {@code _include}, a system {@code $export} and an {@code $import} of its output.
 * Prints one JSON object. {@code --auth on,off} does it twice from this one build, a fresh node
 * each, with authorization and audit on and then off, and prints both in one object (with the load
 * average around each run).
 */
@Command(name = "fhir", description = "Ingest rate and search latency of a fresh node.")
final class FhirBench implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "Bundles to load (default ../shared/data/synthea-100)")
    Path data;
    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N", description = "search rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--auth", split = ",", paramLabel = "on|off", defaultValue = "on",
            description = "authorization and audit on, off, or both side by side from this one build (on,off);"
                    + " off starts the node with concilium.security.benchmark-without-authorization (loopback only)")
    List<String> auth;

    /** One node's figures, and the machine's load while they were measured. */
    private record Run(String auth, String json, boolean ok) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path data = this.data != null ? this.data : SharedDataDir.resolve("synthea-100");
        List<Run> runs = new ArrayList<>();
        for (String mode : auth) {
            if (!mode.equals("on") && !mode.equals("off")) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--auth takes on, off or on,off; not " + mode);
            }
            runs.add(run(data, mode.equals("on")));
        }
        if (runs.size() == 1) {
            System.out.println(runs.get(0).json());
        } else {
            StringBuilder out = new StringBuilder("{\"benchmark\":\"fhir-auth\",\"runs\":[");
            for (int i = 0; i < runs.size(); i++) {
                out.append(i > 0 ? "," : "").append(runs.get(i).json());
            }
            System.out.println(out.append("]}"));
        }
        return runs.stream().allMatch(Run::ok) ? 0 : 1;
    }

    private Run run(Path data, boolean authorization) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("concilium-bench-fhir");
        String loadBefore = loadAverage();
        Map<String, String> env = authorization ? Map.of()
                : Map.of("CONCILIUM_SECURITY_BENCHMARK_WITHOUT_AUTHORIZATION", "true");
        // started first, then awaited, so that a node that is slow to come up is still stopped
        try (NodeProcess node = NodeProcess.start(NodeProcess.freePort(), dir, List.of(), env)) {
            node.awaitReady(Duration.ofMinutes(6));
            String fhir = node.baseUrl() + "/fhir";
            // the same client work in both modes: with authorization off the node ignores the token
            ClientKey key = LocalAdmin.key(dir.resolve("admin"));
            LocalAdmin.register(dir, key);
            AccessTokenSource tokens = LocalAdmin.tokens(fhir, key);
            LoadCommand.Summary cold = LoadCommand.load(List.of(data), fhir, 4, false, tokens);
            LoadCommand.Summary warm = LoadCommand.load(List.of(data), fhir, 4, false, tokens);
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            JsonNode patients = json.readTree(get(http, fhir + "/Patient?_count=1000", tokens));
            List<String> ids = new ArrayList<>();
            patients.path("entry").forEach(e -> ids.add(e.path("resource").path("id").asText()));
            List<Long> micros = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                for (String id : ids) {
                    long t0 = System.nanoTime();
                    get(http, fhir + "/Observation?patient=" + id + "&code=http://loinc.org%7C4548-4&date=ge2019-01-01",
                            tokens);
                    micros.add((System.nanoTime() - t0) / 1000);
                }
            }
            List<Long> shaped = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                for (String id : ids) {
                    long t0 = System.nanoTime();
                    get(http, fhir + "/Observation?patient=" + id + "&_sort=-date,code&_include=Observation:patient"
                            + "&_count=20", tokens);
                    shaped.add((System.nanoTime() - t0) / 1000);
                }
            }
            long[] includeSort = shaped.stream().mapToLong(Long::longValue).sorted().toArray();
            BulkBench.Timed exported = BulkBench.export(http, fhir, tokens);
            BulkBench.Timed imported = BulkBench.importNdjson(http, fhir, tokens, exported);
            long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
            String out = String.format(Locale.ROOT, "{\"benchmark\":\"fhir\",\"authorization\":\"%s\",\"resources\":%d,"
                    + "\"coldIngestResourcesPerSecond\":%.0f,\"warmIngestResourcesPerSecond\":%.0f,\"searches\":%d,"
                    + "\"searchP50Ms\":%.2f,\"searchP95Ms\":%.2f,\"searchMaxMs\":%.2f,\"patientsStored\":%d,"
                    + "\"includeSortP50Ms\":%.2f,\"includeSortP95Ms\":%.2f,\"exportResources\":%d,"
                    + "\"exportResourcesPerSecond\":%.0f,\"importResources\":%d,\"importResourcesPerSecond\":%.0f,"
                    + "\"loadAverageBefore\":\"%s\",\"loadAverageAfter\":\"%s\",\"cores\":%d}",
                    authorization ? "on" : "off", cold.resources(), cold.resourcesPerSecond(),
                    warm.resourcesPerSecond(), sorted.length, pct(sorted, 50) / 1000.0, pct(sorted, 95) / 1000.0,
                    sorted[sorted.length - 1] / 1000.0, ids.size(), pct(includeSort, 50) / 1000.0,
                    pct(includeSort, 95) / 1000.0, exported.resources(), exported.perSecond(), imported.resources(),
                    imported.perSecond(), loadBefore, loadAverage(), Runtime.getRuntime().availableProcessors());
            return new Run(authorization ? "on" : "off", out, cold.failures().isEmpty() && warm.failures().isEmpty());
        }
    }

    /** The 1, 5 and 15 minute load averages (Linux), so that every figure says how busy the machine was. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String get(HttpClient http, String url, AccessTokenSource tokens)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json")
                .header("Authorization", tokens.authorization()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " -> " + r.statusCode());
        }
        return r.body();
    }
}
