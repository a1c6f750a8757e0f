package org.concilium.measure.bench;

import ca.uhn.fhir.context.FhirContext;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.concilium.measure.EvaluateMeasureCommand;
import org.concilium.measure.MeasureEvaluator;
import org.concilium.measure.StoredPatientBatches;
import org.concilium.measure.StreamingMeasureEvaluator;
import org.concilium.store.BulkResourceLoader;
import org.concilium.store.CopyText;
import org.concilium.store.EmbeddedDatabase;
import org.concilium.store.PatientBatchReader;
import org.concilium.store.ResourceStore;
import org.concilium.store.DatabaseUrls;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Resource;

/**
 * {@code bench measure --source store}: population reports evaluated from PostgreSQL in bounded memory
 * ({@link StreamingMeasureEvaluator}). Starts an embedded PostgreSQL in a fresh folder, loads the
 * connectathon patients cloned up to each size (sizes ascending: each step adds clones, batched
 * inserts with progress on stderr), evaluates from the store, and prints JSON: load time,
 * evaluation time, patients/s, peak heap (sum of heap-pool peaks during the evaluation), CPU seconds of
 * this JVM (PostgreSQL's own CPU not included) and the counts. With {@code --in-memory N} the same run
 * first evaluates N patients on the in-memory path in a child JVM ({@code --in-memory-heap}, 8g) and
 * embeds its JSON, so the two paths are measured side by side.
 *
 * <p>Arguments: {@code [--sizes 100000,1000000] [--measures EXM125] [--batch 2000] [--loader copy|unnest|both] [--in-memory 0]
 * [--in-memory-heap 8g] [--data ../shared/data] [--db-dir DIR] [--load-chunk 2000] [--drop-indexes true]
 * [--min-available-mib 6144]}. The bench database is a throw-away one ({@link #BENCH_POSTGRES}); with
 * {@code --drop-indexes true} each load step drops its indexes and builds them again after (BenchIndexes).
 */
public final class StoreMeasureBench {

    private static final Map<String, String> BUNDLES = Map.of(
            "EXM124", "EXM124-9.0.000-bundle.json",
            "EXM125", "EXM125-7.3.000-bundle.json",
            "EXM130", "EXM130-7.3.000-bundle.json");
    /**
     * The bench database's server settings over the node's: commits do not wait for the disk, WAL is
     * minimal and checkpoints rare, index builds get a bounded sort memory. Evaluation only reads, so
     * it runs as on a node; a site's database never gets these (EmbeddedDatabase's defaults).
     */
    static final Map<String, String> BENCH_POSTGRES = Map.of(
            "synchronous_commit", "off",
            "wal_level", "minimal",
            "max_wal_senders", "0",
            "max_wal_size", "4GB",
            "checkpoint_timeout", "15min",
            "maintenance_work_mem", "256MB");
    /** First argument of {@code main} in the child JVM that runs the in-memory path. */
    static final String IN_MEMORY_CHILD = "--in-memory-child";

    private StoreMeasureBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals(IN_MEMORY_CHILD)) {
            inMemory(args[1], Integer.parseInt(args[2]), Path.of(args[3]));
            return;
        }
        Map<String, String> o = options(args);
        int[] sizes = Arrays.stream(o.getOrDefault("sizes", "10000").split(",")).mapToInt(Integer::parseInt).sorted().toArray();
        List<String> measures = List.of(o.getOrDefault("measures", "EXM125").split(","));
        int batch = Integer.parseInt(o.getOrDefault("batch", "2000"));
        int inMemory = Integer.parseInt(o.getOrDefault("in-memory", "0"));
        int loadChunk = Integer.parseInt(o.getOrDefault("load-chunk", "2000"));
        boolean dropIndexes = Boolean.parseBoolean(o.getOrDefault("drop-indexes", "true"));
        long floorMiB = Long.parseLong(o.getOrDefault("min-available-mib", "6144"));
        Path data = Path.of(o.getOrDefault("data", Files.isDirectory(Path.of("../shared/data")) ? "../shared/data" : "/work/shared/data"));

        List<Object> inMemoryRuns = new ArrayList<>();
        if (inMemory > 0) {
            for (String m : measures) {
                inMemoryRuns.add(new BenchJson.Raw(inMemoryChild(m, inMemory, o.getOrDefault("in-memory-heap", "8g"), data)));
            }
        }
        FhirContext fhir = FhirContext.forR4Cached();
        List<Object> results = new ArrayList<>();
        try (StreamingMeasureEvaluator evaluator = new StreamingMeasureEvaluator(StreamingMeasureEvaluator.Options.defaults()
                .withBatchSize(batch))) {
            for (String name : measures) {
                Path dbDir = o.containsKey("db-dir") ? Path.of(o.get("db-dir")).resolve(name)
                        : Files.createTempDirectory("concilium-store-bench-");
                Vertx vertx = Vertx.vertx();
                try (EmbeddedDatabase db = EmbeddedDatabase.start(dbDir.resolve("postgres"), 0, BENCH_POSTGRES);
                        MemoryWatch memory = new MemoryWatch(dbDir.resolve("postgres"), floorMiB)) {
                    Pool pool = Pool.newInstance(PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                            .connectingTo(PgConnectOptions.fromUri(db.reactiveUrl()).setUser("postgres").setPassword("postgres"))
                            .using(vertx).build());
                    org.flywaydb.core.Flyway.configure()
                            .dataSource(DatabaseUrls.jdbcFromReactive(db.reactiveUrl()), "postgres", "postgres")
                            .locations("classpath:db/migration").load().migrate();
                    ResourceStore store = new ResourceStore(pool);
                    String loaderName = o.getOrDefault("loader", "copy");
                    org.postgresql.ds.PGSimpleDataSource jdbc = new org.postgresql.ds.PGSimpleDataSource();
                    jdbc.setURL(DatabaseUrls.jdbcFromReactive(db.reactiveUrl()));
                    jdbc.setUser("postgres");
                    jdbc.setPassword("postgres");
                    List<BulkResourceLoader> loaders = switch (loaderName) {
                        case "copy" -> List.of(new BulkResourceLoader(pool, jdbc));
                        case "unnest" -> List.of(new BulkResourceLoader(pool));
                        case "both" -> List.of(new BulkResourceLoader(pool), new BulkResourceLoader(pool, jdbc));
                        default -> throw new IllegalArgumentException("--loader copy|unnest|both");
                    };
                    BulkResourceLoader loader = loaders.get(loaders.size() - 1);
                    PopulationCloner cloner = new PopulationCloner(fhir.newJsonParser().parseResource(Bundle.class,
                            Files.readString(data.resolve("clinical-reasoning/connectathon").resolve(BUNDLES.get(name)))));
                    loader.insert(cloner.knowledge);
                    loader.insert(cloner.shared);
                    Measure measure = (Measure) cloner.knowledge.stream().filter(r -> r instanceof Measure).findFirst().orElseThrow();
                    EvaluateMeasureCommand command = EvaluateMeasureCommand.of(measure.getUrl(), "2019-01-01", "2019-12-31",
                            "population", null, null, null);
                    List<CopyText> templates = cloner.copyTemplates(loader, java.time.Instant.now());
                    int loaded = 0;
                    double loadSeconds = 0;
                    for (int size : sizes) {
                        memory.window();
                        HeapPeaks.reset();
                        double pgLoad0 = memory.postgresCpuSeconds();
                        long l0 = System.nanoTime();
                        LoadRates rates = new LoadRates();
                        int before = loaded;
                        BenchIndexes dropped = dropIndexes ? BenchIndexes.drop(jdbc) : null;
                        loaded = load(cloner, templates, loaders, loaded, size, loadChunk, name, rates);
                        double copySeconds = (System.nanoTime() - l0) / 1e9;
                        long i0 = System.nanoTime();
                        if (dropped != null) {
                            System.err.printf("%s: building %d indexes%n", name, dropped.count());
                            dropped.rebuild(jdbc);
                        } else {
                            pool.query("ANALYZE").execute().await().indefinitely();
                        }
                        double indexSeconds = (System.nanoTime() - i0) / 1e9;
                        double step = (System.nanoTime() - l0) / 1e9;
                        loadSeconds += step;
                        long loadHeap = HeapPeaks.peak();
                        Map<String, Object> loadMemory = memory.peaks("load_");
                        loadMemory.put("load_postgres_cpu_seconds", memory.postgresCpuSeconds() - pgLoad0);

                        memory.window();
                        HeapPeaks.reset();
                        double pg0 = memory.postgresCpuSeconds();
                        long cpu0 = cpuNanos();
                        long t0 = System.nanoTime();
                        MeasureReport report = evaluator.evaluate(command,
                                new StoredPatientBatches(new PatientBatchReader(pool), store));
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        double cpu = (cpuNanos() - cpu0) / 1e9;
                        double pgCpu = memory.postgresCpuSeconds() - pg0;
                        long peak = HeapPeaks.peak();
                        System.err.printf("%s %d from the store: %.1f s, %.0f patients/s, peak heap %d MiB%n",
                                name, size, seconds, size / seconds, peak >> 20);
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("measure", name);
                        row.put("source", "store");
                        row.put("patients", size);
                        row.put("load_seconds_step", step);
                        row.put("load_seconds_total", loadSeconds);
                        row.put("load_resources_step", rates.resources());
                        row.put("load_resources_per_s", rates.resources() / step);
                        row.put("load_patients_per_s", (size - before) / step);
                        row.put("loader", rates.byLoader());
                        row.put("load_chunk_patients", loadChunk);
                        row.put("load_copy_seconds", copySeconds);
                        row.put("load_index_build_seconds", indexSeconds);
                        row.put("indexes_dropped_during_load", dropped != null);
                        row.put("load_peak_heap_mib", loadHeap >> 20);
                        row.putAll(loadMemory);
                        row.put("eval_seconds", seconds);
                        row.put("patients_per_s", size / seconds);
                        row.put("peak_heap_mib", peak >> 20);
                        row.put("jvm_cpu_seconds", cpu);
                        row.put("jvm_cpu_seconds_per_100k", cpu * 100_000 / size);
                        row.put("postgres_cpu_seconds", pgCpu);
                        row.put("postgres_cpu_seconds_per_100k", pgCpu * 100_000 / size);
                        row.putAll(memory.peaks("eval_"));
                        row.put("database_mib", databaseMiB(pool));
                        row.put("refetched_batches", evaluator.refetchedBatches());
                        row.put("load_average", loadAverage());
                        row.put("counts", counts(report));
                        results.add(row);
                    }
                } finally {
                    vertx.close().toCompletionStage().toCompletableFuture().join();
                    if (!o.containsKey("db-dir")) {
                        deleteTree(dbDir);
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "measure-summary-store");
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        out.put("batch", batch);
        out.put("bench_postgres_settings", new java.util.TreeMap<>(BENCH_POSTGRES));
        out.put("results", results);
        if (!inMemoryRuns.isEmpty()) {
            out.put("in_memory", inMemoryRuns);
        }
        System.out.println(BenchJson.of(out));
        System.exit(0);
    }

    /**
     * Resources loaded and, per loader, the chunks' summed seconds: with {@code --loader both} the
     * chunks alternate between the two loaders (unnest, COPY) within one run, so their rates are
     * measured side by side under the same load.
     */
    private static final class LoadRates {
        private final java.util.concurrent.atomic.AtomicLong resources = new java.util.concurrent.atomic.AtomicLong();
        private final Map<String, double[]> loaders = new java.util.concurrent.ConcurrentHashMap<>();

        void add(BulkResourceLoader loader, int count, double seconds) {
            resources.addAndGet(count);
            double[] r = loaders.computeIfAbsent(loader.copies() ? "copy" : "unnest", k -> new double[2]);
            synchronized (r) {
                r[0] += count;
                r[1] += seconds;
            }
        }

        long resources() {
            return resources.get();
        }

        Map<String, Object> byLoader() {
            Map<String, Object> out = new LinkedHashMap<>();
            loaders.forEach((k, r) -> out.put(k, Map.of("resources", (long) r[0], "chunk_seconds", r[1],
                    "resources_per_chunk_second", r[0] / r[1])));
            return out;
        }
    }

    /**
     * Adds clones {@code from..to-1} in chunks on two threads of our own (not the common pool): a COPY
     * chunk is stamped from the templates by text (PopulationCloner.stamp), an unnest chunk (--loader
     * unnest|both) is cloned, indexed and encoded per resource. At most two chunks exist at a time, so
     * the loader's memory does not grow with the population.
     */
    private static int load(PopulationCloner cloner, List<CopyText> templates, List<BulkResourceLoader> loaders, int from,
            int to, int chunkSize, String name, LoadRates rates) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-loader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> pending = new ArrayList<>();
            long t0 = System.nanoTime();
            long reported = t0;
            int chunk = 0;
            for (int start = from; start < to; start += chunkSize) {
                int s = start;
                int n = Math.min(chunkSize, to - start);
                BulkResourceLoader loader = loaders.get(chunk++ % loaders.size());
                pending.add(threads.submit(() -> {
                    long c0 = System.nanoTime();
                    int count;
                    if (loader.copies()) {
                        CopyText text = PopulationCloner.stamp(templates, s, n);
                        count = text.count();
                        loader.copy(text);
                    } else {
                        List<Resource> resources = cloner.clonePatients(s, n);
                        count = resources.size();
                        loader.insert(resources);
                    }
                    rates.add(loader, count, (System.nanoTime() - c0) / 1e9);
                }));
                if (pending.size() >= 2) { // bounded: at most two chunks in memory
                    pending.remove(0).get();
                }
                if (System.nanoTime() - reported > 30e9) {
                    reported = System.nanoTime();
                    double seconds = (reported - t0) / 1e9;
                    System.err.printf("%s: loading %,d / %,d patients (%.0f patients/s, %.0f resources/s)%n", name,
                            start, to, (start - from) / seconds, rates.resources() / seconds);
                }
            }
            for (Future<?> f : pending) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
        return to;
    }

    /** The in-memory path (MeasureBench) in a child JVM with a heap large enough to hold the population. */
    private static String inMemoryChild(String measure, int size, String heap, Path data) throws Exception {
        String classPath = System.getProperty("java.class.path");
        if (!classPath.endsWith(".jar") || classPath.contains(java.io.File.pathSeparator)) {
            return "{\"skipped\": \"run through bin/concilium (quarkus-run.jar) for the in-memory comparison\"}";
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx" + heap, "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", flatClassPath(Path.of(classPath).toAbsolutePath().getParent()), StoreMeasureBench.class.getName(),
                IN_MEMORY_CHILD, measure, Integer.toString(size), data.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        int brace = out.indexOf('{');
        return brace < 0 ? "{\"failed\": \"exit " + p.exitValue() + "\"}" : out.substring(brace).strip();
    }

    /**
     * The Quarkus application's jars as a plain class path: the measure engine needs no Quarkus, and
     * under Quarkus' runner class loader the in-memory path's fork-join workers cannot see HAPI's
     * cache provider (being fixed in MeasureEvaluator; the streaming path uses its own threads).
     */
    private static String flatClassPath(Path quarkusApp) {
        String sep = java.io.File.pathSeparator;
        return quarkusApp.resolve("app") + "/*" + sep + quarkusApp.resolve("lib/main") + "/*" + sep
                + quarkusApp.resolve("lib/boot") + "/*";
    }

    /** The child: today's in-memory path (InMemoryClinicalData + MeasureEvaluator), best of two runs. */
    private static void inMemory(String name, int size, Path data) throws Exception {
        PopulationCloner cloner = new PopulationCloner(FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class,
                Files.readString(data.resolve("clinical-reasoning/connectathon").resolve(BUNDLES.get(name)))));
        Measure measure = (Measure) cloner.knowledge.stream().filter(r -> r instanceof Measure).findFirst().orElseThrow();
        var site = org.concilium.measure.InMemoryClinicalData.builder().addAll(cloner.knowledge).addAll(cloner.clone(size)).build();
        EvaluateMeasureCommand command = EvaluateMeasureCommand.of(measure.getUrl(), "2019-01-01", "2019-12-31",
                "population", null, null, null);
        Map<String, Object> row = new LinkedHashMap<>();
        try (MeasureEvaluator evaluator = new MeasureEvaluator()) {
            HeapPeaks.reset();
            double best = Double.MAX_VALUE;
            MeasureReport report = null;
            double bestCpu = 0;
            for (int run = 0; run < 2; run++) {
                long cpu0 = cpuNanos();
                long t0 = System.nanoTime();
                report = evaluator.evaluate(command, site);
                double seconds = (System.nanoTime() - t0) / 1e9;
                row.put(run == 0 ? "eval_seconds_first" : "eval_seconds_second", seconds);
                if (seconds < best) {
                    best = seconds;
                    bestCpu = (cpuNanos() - cpu0) / 1e9;
                }
            }
            row.put("jvm_cpu_seconds", bestCpu);
            row.put("jvm_cpu_seconds_per_100k", bestCpu * 100_000 / size);
            row.put("load_average", loadAverage());
            row.put("measure", name);
            row.put("source", "memory");
            row.put("patients", size);
            row.put("eval_seconds", best);
            row.put("patients_per_s", size / best);
            row.put("peak_heap_mib", HeapPeaks.peak() >> 20);
            row.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
            row.put("counts", counts(report));
        }
        System.out.println(BenchJson.of(row));
        System.exit(0);
    }

    /** The machine's one-minute load average when a measurement ends (the figures depend on it). */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long databaseMiB(Pool pool) {
        return pool.query("SELECT pg_database_size(current_database())").execute().await().indefinitely()
                .iterator().next().getLong(0) >> 20;
    }

    private static Map<String, Integer> counts(MeasureReport report) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (var p : report.getGroupFirstRep().getPopulation()) {
            out.put(p.getCode().getCodingFirstRep().getCode(), p.getCount());
        }
        return out;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }



    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                out.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("usage: bench measure --source store [--sizes 100000,1000000]"
                        + " [--measures EXM125] [--batch 2000] [--loader copy|unnest|both] [--in-memory N] [--in-memory-heap 8g] [--db-dir DIR]"
                        + " [--load-chunk 2000] [--drop-indexes true] [--min-available-mib 6144]");
            }
        }
        out.remove("source");
        return out;
    }
}
