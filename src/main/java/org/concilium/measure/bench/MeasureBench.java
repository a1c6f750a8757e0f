package org.concilium.measure.bench;

import ca.uhn.fhir.context.FhirContext;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.measure.EvaluateMeasureCommand;
import org.concilium.measure.InMemoryClinicalData;
import org.concilium.measure.MeasureEvaluator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.fhir.cr.measure.MeasureEvaluationOptions;
import org.opencds.cqf.fhir.cr.measure.common.MeasurePeriodValidator;
import org.opencds.cqf.fhir.cr.measure.r4.R4MultiMeasureService;
import org.opencds.cqf.fhir.utility.monad.Eithers;
import org.opencds.cqf.fhir.utility.repository.InMemoryFhirRepository;

/**
 * Summary-report throughput for EXM124, EXM125 and EXM130 over the connectathon patients cloned to
 * each requested size, for this engine and, on the same data in the same run, cqf-fhir-cr's stock
 * in-memory path (InMemoryFhirRepository + R4MultiMeasureService / R4MeasureProcessor). Prints one
 * JSON document on stdout; progress goes to stderr.
 *
 * <p>Arguments: {@code [--sizes 1000,10000,100000] [--stock-max 10000] [--data ../shared/data]
 * [--measures EXM124,EXM125,EXM130] [--runs 2]}. Each engine run is timed end to end (index
 * build included; Library compilation is cached after the first run, so the best of
 * {@code --runs} is reported together with the first). The stock path gets one untimed warm-up
 * call per measure so its Library cache is warm too. To run the stock path at all, the bench
 * gives the Measures element ids and canonical Library references and the ValueSets stored
 * expansions; both engines see exactly that data.
 */
public final class MeasureBench {

    private static final Map<String, String> BUNDLES = Map.of(
            "EXM124", "EXM124-9.0.000-bundle.json",
            "EXM125", "EXM125-7.3.000-bundle.json",
            "EXM130", "EXM130-7.3.000-bundle.json");

    /** Stock options with shared library, model and value-set caches, as a long-running server would keep them. */
    private static final MeasureEvaluationOptions STOCK_OPTIONS = MeasureEvaluationOptions.defaultOptions()
            .setEvaluationSettings(org.opencds.cqf.fhir.cql.EvaluationSettings.getDefault()
                    .withLibraryCache(new java.util.concurrent.ConcurrentHashMap<>())
                    .withModelCache(new java.util.concurrent.ConcurrentHashMap<>())
                    .withValueSetCache(new java.util.concurrent.ConcurrentHashMap<>()));

    private MeasureBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int[] sizes = Arrays.stream(opts.getOrDefault("sizes", "1000,10000").split(",")).mapToInt(Integer::parseInt).toArray();
        int stockMax = Integer.parseInt(opts.getOrDefault("stock-max", "10000"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "2"));
        Path data = opts.containsKey("data") ? Path.of(opts.get("data")) : defaultData();
        List<String> measures = List.of(opts.getOrDefault("measures", "EXM124,EXM125,EXM130").split(","));

        FhirContext fhir = FhirContext.forR4Cached();
        MeasureEvaluator evaluator = new MeasureEvaluator();
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"benchmark\": \"measure-summary\",\n  \"cores\": ").append(Runtime.getRuntime().availableProcessors())
                .append(",\n  \"maxHeapMiB\": ").append(Runtime.getRuntime().maxMemory() >> 20)
                .append(",\n  \"results\": [");
        boolean first = true;
        java.util.Set<String> stockWarm = new java.util.HashSet<>();
        Map<String, Double> stockWarmup = new LinkedHashMap<>();
        for (String name : measures) {
            Path file = data.resolve("clinical-reasoning/connectathon").resolve(BUNDLES.get(name));
            Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, Files.readString(file));
            PopulationCloner cloner = new PopulationCloner(bundle);
            Measure measure = (Measure) cloner.knowledge.stream().filter(r -> r instanceof Measure).findFirst().orElseThrow();
            // the stock processor resolves Measure.library only as a canonical; these bundles use Library/id
            for (var lib : measure.getLibrary()) {
                if (lib.getValue().startsWith("Library/")) {
                    String id = lib.getValue().substring("Library/".length());
                    cloner.knowledge.stream().filter(r -> r instanceof org.hl7.fhir.r4.model.Library
                                    && r.getIdElement().getIdPart().equals(id))
                            .findFirst().ifPresent(r -> lib.setValue(((org.hl7.fhir.r4.model.Library) r).getUrl()));
                }
            }
            // the stock terminology provider needs stored expansions; these ValueSets only enumerate concepts
            for (Resource r : cloner.knowledge) {
                if (r instanceof org.hl7.fhir.r4.model.ValueSet vs && !vs.hasExpansion()) {
                    var expansion = vs.getExpansion().setTimestamp(new java.util.Date());
                    for (var include : vs.getCompose().getInclude()) {
                        for (var concept : include.getConcept()) {
                            expansion.addContains().setSystem(include.getSystem()).setVersion(include.getVersion())
                                    .setCode(concept.getCode()).setDisplay(concept.getDisplay());
                        }
                    }
                }
            }
            // the stock processor insists on element ids, which the connectathon Measures lack
            for (int g = 0; g < measure.getGroup().size(); g++) {
                var group = measure.getGroup().get(g);
                if (!group.hasId()) {
                    group.setId("group-" + (g + 1));
                }
                for (var pop : group.getPopulation()) {
                    if (!pop.hasId()) {
                        pop.setId(pop.getCode().getCodingFirstRep().getCode() + (g == 0 ? "" : "-" + (g + 1)));
                    }
                }
            }
            for (int i = 0; i < measure.getSupplementalData().size(); i++) {
                if (!measure.getSupplementalData().get(i).hasId()) {
                    measure.getSupplementalData().get(i).setId("sde-" + i);
                }
            }
            for (int size : sizes) {
                System.err.printf("%s: cloning %d patients%n", name, size);
                List<Resource> clinical = cloner.clone(size);
                InMemoryClinicalData site = InMemoryClinicalData.builder().addAll(cloner.knowledge).addAll(clinical).build();
                EvaluateMeasureCommand command = EvaluateMeasureCommand.of(measure.getUrl(), "2019-01-01", "2019-12-31",
                        "population", null, null, null);

                long best = Long.MAX_VALUE;
                long firstRun = 0;
                MeasureReport ours = null;
                HeapPeaks.reset();
                for (int r = 0; r < runs; r++) {
                    long t0 = System.nanoTime();
                    ours = evaluator.evaluate(command, site);
                    long t = System.nanoTime() - t0;
                    if (r == 0) {
                        firstRun = t;
                    }
                    best = Math.min(best, t);
                    System.err.printf("%s %d: concilium run %d %.2f s%n", name, size, r + 1, t / 1e9);
                }
                long oursHeap = HeapPeaks.peak();

                Map<String, Object> row = new LinkedHashMap<>();
                row.put("measure", name);
                row.put("patients", size);
                row.put("conciliumSeconds", best / 1e9);
                row.put("conciliumFirstRunSeconds", firstRun / 1e9);
                row.put("conciliumPatientsPerSecond", size / (best / 1e9));
                row.put("conciliumPeakHeapMiB", oursHeap >> 20);
                row.put("conciliumCounts", counts(ours));
                if (size <= stockMax) {
                    if (!stockWarm.contains(name)) {
                        // untimed: lets the stock path compile and cache its Libraries, as ours does on run 1
                        long w0 = System.nanoTime();
                        runStock(fhir, cloner.knowledge, cloner.clone(30), measure);
                        stockWarmup.put(name, (System.nanoTime() - w0) / 1e9);
                        stockWarm.add(name);
                    }
                    HeapPeaks.reset();
                    long t0 = System.nanoTime();
                    MeasureReport theirs = runStock(fhir, cloner.knowledge, clinical, measure);
                    long t = System.nanoTime() - t0;
                    System.err.printf("%s %d: stock %.2f s%n", name, size, t / 1e9);
                    row.put("stockWarmupSeconds30Patients", stockWarmup.get(name));
                    row.put("stockSeconds", t / 1e9);
                    row.put("stockPatientsPerSecond", size / (t / 1e9));
                    row.put("stockPeakHeapMiB", HeapPeaks.peak() >> 20);
                    row.put("stockCounts", counts(theirs));
                    row.put("speedup", (double) t / best);
                } else {
                    row.put("stock", "skipped (size above --stock-max " + stockMax + ")");
                }
                json.append(first ? "\n    " : ",\n    ").append(BenchJson.of(row));
                first = false;
            }
        }
        json.append("\n  ]\n}");
        System.out.println(json);
        System.exit(0);
    }

    /**
     * {@code ../shared/data} beside the working directory, else beside the project this code was
     * built in (found upwards from the jar or classes folder), so the bench runs from any directory.
     */
    static Path defaultData() {
        Path cwd = Path.of("../shared/data");
        if (Files.isDirectory(cwd)) {
            return cwd;
        }
        try {
            Path p = Path.of(MeasureBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (; p != null; p = p.getParent()) {
                if (Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("../shared/data"))) {
                    return p.resolve("../shared/data").normalize();
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("test data not found: pass --data DIR (the folder holding clinical-reasoning/connectathon)");
    }

    /** cqf-fhir-cr's stock in-memory evaluation: InMemoryFhirRepository + R4MultiMeasureService (R4MeasureProcessor). */
    private static MeasureReport runStock(FhirContext fhir, List<Resource> knowledge, List<Resource> clinical, Measure measure) {
        Bundle all = new Bundle().setType(Bundle.BundleType.COLLECTION);
        knowledge.forEach(r -> all.addEntry().setResource(r));
        clinical.forEach(r -> all.addEntry().setResource(r));
        var repository = new InMemoryFhirRepository(fhir, all);
        var stock = new R4MultiMeasureService(repository, STOCK_OPTIONS,
                "http://localhost/fhir", new MeasurePeriodValidator());
        return stock.evaluate(Eithers.forLeft3(new CanonicalType(measure.getUrl())),
                ZonedDateTime.parse("2019-01-01T00:00:00Z"), ZonedDateTime.parse("2019-12-31T23:59:59.999Z"),
                "population", null, null, null, null, null, null, null, null, null);
    }

    private static Map<String, Integer> counts(MeasureReport report) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (var p : report.getGroupFirstRep().getPopulation()) {
            out.put(p.getCode().getCodingFirstRep().getCode(), p.getCount());
        }
        return out;
    }



    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                out.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("usage: MeasureBench [--sizes 1000,10000,100000] [--stock-max 10000] "
                        + "[--data ../shared/data] [--measures EXM124,EXM125,EXM130] [--runs 2]");
            }
        }
        return out;
    }
}
