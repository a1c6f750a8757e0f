package org.concilium.measure.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.concilium.measure.EvaluateMeasureCommand;
import org.concilium.measure.InMemoryClinicalData;
import org.concilium.measure.MeasureEvaluator;
import org.concilium.testing.SharedData;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A population many times the heap evaluates from PostgreSQL: a node JVM with {@value #HEAP_MIB} MiB
 * of heap (loading, CQL compilation and evaluation included) loads about {@value #PATIENTS} cloned
 * EXM125 patients into its embedded PostgreSQL and makes the population report in batches of 500
 * (bench measure --source store). Held in memory, that population would take several times the
 * node's heap (measured here on a sample of 100 rounds of the t template patients and scaled). Clone k
 * is a copy of template patient k mod t, so the in-memory path's counts over the sample, times
 * N / sample, are the counts the store path must report.
 */
@EnabledIfSystemProperty(named = "concilium.long-tests", matches = "true",
        disabledReason = "about 7 minutes on 2 cores (400,000 patients loaded and evaluated): run with -Dconcilium.long-tests=true")
class BoundedMemoryEvaluationIT {

    static final int PATIENTS = 400_000;
    static final int HEAP_MIB = 256;

    @Test
    void a_small_heap_evaluates_a_population_many_times_its_size_from_the_store_with_the_in_memory_totals(
            @TempDir Path tmp) throws Exception {
        Path data = SharedData.dir("clinical-reasoning/connectathon").getParent().getParent();
        Bundle bundle = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class,
                Files.readString(data.resolve("clinical-reasoning/connectathon/EXM125-7.3.000-bundle.json")));
        PopulationCloner cloner = new PopulationCloner(bundle);
        int sample = cloner.templates.size() * 100; // whole rounds of the templates, evaluated in memory
        int patients = PATIENTS / sample * sample;

        String java = ProcessHandle.current().info().command().orElseThrow();
        Process node = new ProcessBuilder(java, "-Xmx" + HEAP_MIB + "m", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-jar", Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString(),
                "bench", "measure", "--source", "store", "--sizes", Integer.toString(patients), "--measures", "EXM125",
                "--batch", "500", "--data", data.toString(), "--db-dir", tmp.toString(), "--min-available-mib", "3072")
                .redirectError(tmp.resolve("bench.log").toFile()).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(30, TimeUnit.MINUTES)).isTrue();
        assertThat(node.exitValue()).as(Files.readString(tmp.resolve("bench.log"))).isZero();
        JsonNode bench = new ObjectMapper().readTree(out.substring(out.indexOf('{')));
        JsonNode store = bench.get("results").get(0);
        System.out.println("bounded-memory run: " + store);
        assertThat(bench.get("max_heap_mib").asInt()).isLessThanOrEqualTo(HEAP_MIB);
        assertThat(store.get("patients").asInt()).isEqualTo(patients);

        // the in-memory path over the sample, in this (larger) JVM; the population is patients / sample copies of it
        long before = usedHeapAfterGc();
        List<Resource> clinical = cloner.clone(sample);
        InMemoryClinicalData site = InMemoryClinicalData.builder().addAll(cloner.knowledge).addAll(clinical).build();
        long held = (usedHeapAfterGc() - before) * (patients / sample);
        Measure measure = (Measure) cloner.knowledge.stream().filter(r -> r instanceof Measure).findFirst().orElseThrow();
        MeasureReport expected;
        try (MeasureEvaluator evaluator = new MeasureEvaluator()) {
            expected = evaluator.evaluate(EvaluateMeasureCommand.of(measure.getUrl(), "2019-01-01", "2019-12-31",
                    "population", null, null, null), site);
        }
        System.out.printf("in-memory data set: about %d MiB of heap for %d patients%n", held >> 20, patients);
        assertThat(held).as("the population held in memory, against the node's heap").isGreaterThan(4L * (HEAP_MIB << 20));

        Map<String, Integer> counts = new LinkedHashMap<>();
        expected.getGroupFirstRep().getPopulation().forEach(p -> counts.put(p.getCode().getCodingFirstRep().getCode(),
                p.getCount() * (patients / sample)));
        Map<String, Integer> streamed = new LinkedHashMap<>();
        store.get("counts").fields().forEachRemaining(e -> streamed.put(e.getKey(), e.getValue().asInt()));
        assertThat(counts.get("initial-population")).isPositive();
        assertThat(streamed).isEqualTo(counts);
        site.hashCode(); // keep the data set reachable until measured
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
