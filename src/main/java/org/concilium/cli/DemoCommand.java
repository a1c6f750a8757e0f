package org.concilium.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.concilium.demo.DemoMeasures;
import org.concilium.demo.SyntheticPopulation;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.MeasureReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: three hospitals on loopback, each with its own synthetic population (or Bundles
 * from {@code --data}), the sample measures published to the network, one network query, its
 * MeasureReport printed as a table; the network stays up until Ctrl-C ({@code --exit} stops it).
 */
@Command(name = "demo", sortOptions = false, description = "The whole story on loopback: sites, data, one network query.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--sites", defaultValue = "3", paramLabel = "N", description = "hospitals (default ${DEFAULT-VALUE})")
    int sites;
    @Option(names = "--patients", defaultValue = "500", paramLabel = "N",
            description = "synthetic patients per site (default ${DEFAULT-VALUE})")
    int patients;
    @Option(names = "--data", paramLabel = "DIR", description = "load these Bundles (split across sites) instead")
    Path data;
    @Option(names = "--measure", defaultValue = DemoMeasures.HYPERTENSION_CONTROL, paramLabel = "ID",
            description = "sample measure to run (default ${DEFAULT-VALUE})")
    String measureId;
    @Option(names = "--period-start", defaultValue = "2024-01-01", paramLabel = "DATE")
    String periodStart;
    @Option(names = "--period-end", defaultValue = "2024-12-31", paramLabel = "DATE")
    String periodEnd;
    @Option(names = "--dir", defaultValue = "demo-network", paramLabel = "DIR", description = "(default ${DEFAULT-VALUE})")
    Path dir;
    @Option(names = "--exit", description = "stop the network after the report")
    boolean exit;

    @Override
    public Integer call() throws IOException, InterruptedException {
        LocalNetwork.remove(dir);
        System.out.println("Starting " + sites + " hospital nodes (embedded PostgreSQL, mutual TLS, key ceremony)...");
        List<LocalNetwork.Site> network = LocalNetwork.up(dir, sites, List.of());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LocalNetwork.down(dir)));
        for (int i = 0; i < network.size(); i++) {
            List<Path> data;
            if (this.data != null) {
                data = shareOf(this.data, i, network.size());
            } else {
                data = SyntheticPopulation.writeBundles(dir.resolve("data").resolve(network.get(i).id()), 2024, i,
                        patients, 100);
            }
            var loaded = LoadCommand.load(data, network.get(i).fhirBase(), 2, false,
                    LocalNetwork.tokens(dir, network.get(i)));
            System.out.printf("  %s: loaded %d resources (%d failures)%n", network.get(i).id(), loaded.resources(),
                    loaded.failures().size());
        }
        HttpClient http = HttpClient.newHttpClient();
        String entry = network.get(0).networkBase();
        AccessTokenSource tokens = LocalNetwork.tokens(dir, network.get(0));
        post(http, entry, DemoMeasures.publication(DemoMeasures.IDS), tokens);
        System.out.println("Published " + DemoMeasures.IDS.size() + " sample measures to every site.");
        String url = entry + "/Measure/" + measureId + "/$evaluate-measure?periodStart=" + periodStart
                + "&periodEnd=" + periodEnd;
        System.out.println("Running " + measureId + " across the network (encrypted; only the total is decrypted)...");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept",
                "application/fhir+json").header("Authorization", tokens.authorization()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            System.out.println("The query failed: HTTP " + r.statusCode() + "\n" + r.body());
            return 1;
        }
        MeasureReport report = FhirJson.parse(MeasureReport.class, r.body());
        Path json = dir.resolve("network-report.json").toAbsolutePath();
        Files.writeString(json, r.body());
        System.out.println();
        System.out.println(org.concilium.demo.ReportTable.render(report));
        System.out.println("FHIR MeasureReport: " + json);
        System.out.println("Also at: " + entry + "/MeasureReport/" + report.getIdElement().getIdPart());
        System.out.println();
        network.forEach(s -> System.out.println("  " + s.id() + "  FHIR " + s.fhirBase() + "   network " + s.networkBase()));
        System.out.println("Every request needs a token; as the demo's client '" + LocalAdmin.CLIENT_ID + "':\n"
                + LocalAdmin.howToGetAToken(dir.resolve("admin"), network.get(0).fhirBase()));
        if (exit) {
            return 0;
        }
        System.out.println("\nThe network is up. Press Ctrl-C to stop it.");
        Thread.currentThread().join();
        return 0;
    }

    /** Site i's share of a folder of Bundles: every n-th file, so each hospital holds its own patients. */
    private static List<Path> shareOf(Path folder, int i, int n) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of(folder);
        }
        try (var files = Files.list(folder)) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".ndjson"))
                    .sorted().toList();
            return java.util.stream.IntStream.range(0, all.size()).filter(k -> k % n == i).mapToObj(all::get).toList();
        }
    }

    private static void post(HttpClient http, String url, String body, AccessTokenSource tokens)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", tokens.authorization())
                .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("publishing failed: HTTP " + r.statusCode() + " " + r.body());
        }
    }
}
