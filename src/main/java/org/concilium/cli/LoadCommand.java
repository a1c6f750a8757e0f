package org.concilium.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import java.util.stream.Stream;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;
import org.concilium.store.TransactionReceipts;

/**
 * {@code load}: sends Bundles and NDJSON files to a node's FHIR API, each file (or NDJSON chunk)
 * as one transaction, several at once. Prints a progress bar and a summary with the failures.
 * <p>
 * Every transaction carries an idempotency key, the SHA-256 of its content (Bundle.identifier in
 * {@link TransactionReceipts#SYSTEM}): the node applies a key once, so resending a transaction
 * whose answer was lost never duplicates it. Acknowledged keys go to a journal ({@link LoadJournal});
 * {@code --resume} skips them and sends the rest.
 */
@Command(name = "load", sortOptions = false,
        description = "Send Bundles (.json) and NDJSON files or folders to a node, one transaction each.")
public final class LoadCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NDJSON_CHUNK = 1000;

    /** One request to send: where it came from, its idempotency key, its body and how many resources it holds. */
    record Unit(String source, String key, String body, int resources) {
    }

    /**
     * What a load did: resources and requests acknowledged in this run, the transactions the node
     * had already applied (answered from its receipts), those skipped from the journal, the
     * failures, and each acknowledged request's latency in milliseconds.
     */
    public record Summary(long resources, long requests, long replayed, long skipped, List<String> failures,
            double seconds, List<Long> requestMillis) {
        public double resourcesPerSecond() {
            return seconds == 0 ? 0 : resources / seconds;
        }

        public double requestsPerSecond() {
            return seconds == 0 ? 0 : requests / seconds;
        }
    }

    /** Where the answer to one request left the load. */
    private enum Answer { APPLIED, REPLAYED, FAILED }

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Bundle or NDJSON files, or folders of them")
    List<Path> paths;
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080/fhir", paramLabel = "URL",
            description = "the node's FHIR base (default ${DEFAULT-VALUE})")
    String url;
    @Option(names = "--concurrency", defaultValue = "4", paramLabel = "N",
            description = "transactions in flight (default ${DEFAULT-VALUE})")
    int concurrency;
    @Option(names = "--json", description = "also print the summary as one JSON line")
    boolean json;
    @Option(names = "--client-id", required = true, paramLabel = "ID",
            description = "the SMART Backend Services client registered at the node (bin/concilium clients add)")
    String clientId;
    @Option(names = "--key", required = true, paramLabel = "FILE", description = "the client's private JWK")
    Path key;
    @Option(names = "--scope", defaultValue = "system/*.cus", paramLabel = "SCOPES",
            description = "scopes to ask for (default ${DEFAULT-VALUE})")
    String scope;
    @Option(names = "--journal", defaultValue = "concilium-load.journal", paramLabel = "FILE",
            description = "acknowledged transactions, one line each (default ${DEFAULT-VALUE})")
    Path journal;
    @Option(names = "--resume", description = "skip the transactions the journal lists as acknowledged; send the rest")
    boolean resume;
    @Option(names = "--ndjson-as", defaultValue = "import", paramLabel = "import|transactions",
            description = "NDJSON files as one $import each (Bulk Data, fast for a first load) or as transactions of"
                    + " 1,000 resources (default ${DEFAULT-VALUE})")
    String ndjsonAs;

    LoadCommand() {
    }

    @Override
    public Integer call() {
        if (!ndjsonAs.equals("import") && !ndjsonAs.equals("transactions")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--ndjson-as takes import or transactions, not " + ndjsonAs);
        }
        Summary s;
        try (LoadJournal acks = LoadJournal.open(journal, resume)) {
            s = load(paths, url, concurrency, true, new AccessTokenSource(url, clientId, ClientKey.read(key), scope),
                    acks, ndjsonAs.equals("import"));
        }
        System.out.printf(Locale.ROOT, "%nloaded %d resources in %d requests in %.1f s: %.0f resources/s, %d failed%n",
                s.resources(), s.requests(), s.seconds(), s.resourcesPerSecond(), s.failures().size());
        if (s.skipped() > 0 || s.replayed() > 0) {
            System.out.printf(Locale.ROOT, "resumed: %d transactions skipped (in the journal), %d already applied at the"
                    + " node (not written again)%n", s.skipped(), s.replayed());
        }
        s.failures().forEach(f -> System.out.println("  FAILED " + f));
        if (!s.failures().isEmpty()) {
            System.out.println("run the same command with --resume to send only what was not acknowledged");
        }
        if (json) {
            System.out.printf(Locale.ROOT, "{\"resources\":%d,\"requests\":%d,\"seconds\":%.3f,\"resourcesPerSecond\":%.1f,"
                    + "\"skipped\":%d,\"replayed\":%d,\"failures\":%d}%n", s.resources(), s.requests(), s.seconds(),
                    s.resourcesPerSecond(), s.skipped(), s.replayed(), s.failures().size());
        }
        return s.failures().isEmpty() ? 0 : 1;
    }

    /** Loads as the client whose tokens {@code tokens} gives (each request carries a current token). */
    public static Summary load(List<Path> paths, String fhirBase, int concurrency, boolean progress,
            AccessTokenSource tokens) {
        return load(paths, fhirBase, concurrency, progress, tokens, (Path) null, false);
    }

    /**
     * As above, recording every acknowledged transaction in {@code journal} (null: none); with
     * {@code resume}, the ones an earlier run recorded there are skipped.
     */
    public static Summary load(List<Path> paths, String fhirBase, int concurrency, boolean progress,
            AccessTokenSource tokens, Path journal, boolean resume) {
        try (LoadJournal acks = journal == null ? null : LoadJournal.open(journal, resume)) {
            return load(paths, fhirBase, concurrency, progress, tokens, acks, true);
        }
    }

    private static Summary load(List<Path> paths, String fhirBase, int concurrency, boolean progress,
            AccessTokenSource tokens, LoadJournal journal, boolean ndjsonViaImport) {
        List<Path> files = paths.stream().flatMap(LoadCommand::files).toList();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> millis = new ConcurrentLinkedQueue<>();
        AtomicLong resources = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong replayed = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        AtomicLong filesDone = new AtomicLong();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency));
        for (Path file : files) {
            pool.submit(() -> {
                try {
                    if (ndjsonViaImport && file.toString().endsWith(".ndjson")) {
                        String key = NdjsonImport.key(file);
                        if (journal != null && journal.done(key)) {
                            skipped.incrementAndGet();
                        } else {
                            NdjsonImport.Result r = NdjsonImport.send(http, fhirBase, file, tokens, p -> {
                                if (progress) {
                                    System.err.printf("%n%s: %s", file.getFileName(), p);
                                }
                            });
                            requests.incrementAndGet();
                            resources.addAndGet(r.resources());
                            if (r.failedLines() > 0) {
                                failures.add(file + ": " + r.failedLines() + " lines refused, one OperationOutcome"
                                        + " each in " + r.errorsUrl());
                            } else if (journal != null) {
                                journal.acknowledged(key, (int) r.resources(), file.toString());
                            }
                        }
                    }
                    for (Unit u : ndjsonViaImport && file.toString().endsWith(".ndjson") ? List.<Unit>of() : units(file)) {
                        if (journal != null && journal.done(u.key())) {
                            skipped.incrementAndGet();
                            continue;
                        }
                        long t0 = System.nanoTime();
                        Answer a = send(http, fhirBase, u, tokens, failures);
                        if (a == Answer.FAILED) {
                            continue;
                        }
                        millis.add((System.nanoTime() - t0) / 1_000_000);
                        requests.incrementAndGet();
                        resources.addAndGet(u.resources());
                        if (a == Answer.REPLAYED) {
                            replayed.incrementAndGet();
                        }
                        if (journal != null) {
                            journal.acknowledged(u.key(), u.resources(), u.source());
                        }
                    }
                } catch (RuntimeException | IOException e) {
                    failures.add(file + ": " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(file + ": interrupted");
                }
                long done = filesDone.incrementAndGet();
                if (progress) {
                    progress(done, files.size(), resources.get(), System.nanoTime() - start);
                }
            });
        }
        pool.shutdown();
        try {
            pool.awaitTermination(7, TimeUnit.DAYS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Summary(resources.get(), requests.get(), replayed.get(), skipped.get(), List.copyOf(failures), seconds,
                List.copyOf(millis));
    }

    private static Stream<Path> files(Path p) {
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                return s.filter(Files::isRegularFile).filter(f -> {
                    String n = f.getFileName().toString();
                    return n.endsWith(".json") || n.endsWith(".ndjson");
                }).sorted().toList().stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Stream.of(p);
    }

    /** A file as transaction Bundles: a transaction/batch as is, anything else wrapped. */
    static List<Unit> units(Path file) throws IOException {
        String name = file.toString();
        if (name.endsWith(".ndjson")) {
            List<Unit> out = new ArrayList<>();
            List<JsonNode> chunk = new ArrayList<>();
            int line = 0;
            int chunkStart = 1;
            for (String text : Files.readAllLines(file)) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                chunk.add(JSON.readTree(text));
                if (chunk.size() == NDJSON_CHUNK) {
                    out.add(wrap(name + " lines " + chunkStart + "-" + line, chunk));
                    chunk = new ArrayList<>();
                    chunkStart = line + 1;
                }
            }
            if (!chunk.isEmpty()) {
                out.add(wrap(name + " lines " + chunkStart + "-" + line, chunk));
            }
            return out;
        }
        String body = Files.readString(file);
        JsonNode root = JSON.readTree(body);
        if (!root.has("resourceType")) {
            System.err.println("\nconcilium: skipping " + name + ": not a FHIR resource");
            return List.of();
        }
        if (!"Bundle".equals(root.path("resourceType").asText())) {
            return List.of(wrap(name, List.of(root)));
        }
        String type = root.path("type").asText();
        if (type.equals("transaction")) {
            String key = sha256(body);
            ((ObjectNode) root).set("identifier", transactionKey(key));
            return List.of(new Unit(name, key, root.toString(), root.path("entry").size()));
        }
        if (type.equals("batch")) {
            return List.of(new Unit(name, sha256(body), body, root.path("entry").size()));
        }
        List<JsonNode> resources = new ArrayList<>();
        root.path("entry").forEach(e -> resources.add(e.path("resource")));
        return List.of(wrap(name, resources));
    }

    /** Resources with ids keep them (PUT), so references between files still resolve. */
    private static Unit wrap(String source, List<JsonNode> resources) {
        ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        ArrayNode entries = bundle.putArray("entry");
        for (JsonNode r : resources) {
            String type = r.path("resourceType").asText();
            String id = r.path("id").asText(null);
            ObjectNode e = entries.addObject();
            e.set("resource", r);
            e.putObject("request").put("method", id == null ? "POST" : "PUT").put("url", id == null ? type : type + "/" + id);
        }
        String key = sha256(bundle.toString());
        bundle.set("identifier", transactionKey(key));
        return new Unit(source, key, bundle.toString(), resources.size());
    }

    private static ObjectNode transactionKey(String key) {
        return JSON.createObjectNode().put("system", TransactionReceipts.SYSTEM).put("value", key);
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer send(HttpClient http, String base, Unit u, AccessTokenSource tokens,
            ConcurrentLinkedQueue<String> failures) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofMinutes(10))
                    .header("Authorization", tokens.authorization())
                    .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                    .header("Prefer", "return=minimal").POST(HttpRequest.BodyPublishers.ofString(u.body())).build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() / 100 == 2) {
                // only an answer from a receipt names the receipts system (meta.tag "replayed")
                return resp.body().contains(TransactionReceipts.SYSTEM) ? Answer.REPLAYED : Answer.APPLIED;
            }
            failures.add(u.source() + ": HTTP " + resp.statusCode() + " " + diagnostics(resp.body()));
        } catch (IOException | RuntimeException e) {
            // the node went away (or its token endpoint did): this transaction is resent by --resume
            failures.add(u.source() + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(u.source() + ": interrupted");
        }
        return Answer.FAILED;
    }

    /** The OperationOutcome's message and location, which name the failing entry. */
    private static String diagnostics(String body) {
        try {
            JsonNode issue = JSON.readTree(body).path("issue").path(0);
            String where = issue.path("expression").path(0).asText("");
            return issue.path("diagnostics").asText("") + (where.isEmpty() ? "" : " at " + where);
        } catch (IOException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    private static synchronized void progress(long done, int total, long resources, long nanos) {
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        double rate = resources / Math.max(1e-9, nanos / 1e9);
        System.err.printf(Locale.ROOT, "\r[%s%s] %d/%d files  %d resources  %.0f res/s", "#".repeat(filled),
                " ".repeat(width - filled), done, total, resources, rate);
        if (done == total) {
            System.err.println();
        }
    }
}
