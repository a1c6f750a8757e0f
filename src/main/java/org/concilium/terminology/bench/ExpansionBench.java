package org.concilium.terminology.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.context.support.ValueSetExpansionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.concilium.terminology.KnowledgeSource;
import org.concilium.terminology.Terminology;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * {@code is-a} expansion of the root of a {@link GeneratedHierarchy} (every concept), per size:
 * this node's path ({@link Terminology}: the hierarchy walked by {@code CodeHierarchy}, HAPI handed
 * the result) against HAPI's own is-a walk over the nested CodeSystem (the path before), alternating
 * in one JVM, the baseline only up to {@code --hapi-max} concepts (it is quadratic). Both answers are
 * compared. Prints one JSON object: milliseconds per expansion, each run and the median.
 *
 * <p>{@code bin/concilium bench terminology [--sizes 1000,10000,50000] [--runs 3] [--hapi-max 10000]}
 */
public final class ExpansionBench {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private ExpansionBench() {
    }

    public static void main(String... args) throws IOException {
        List<Integer> sizes = List.of(1_000, 10_000, 50_000);
        int runs = 3;
        int hapiMax = 10_000;
        for (String a : args) {
            if (a.startsWith("--sizes=")) {
                sizes = Arrays.stream(a.substring(8).split(",")).map(String::trim).map(Integer::valueOf).toList();
            } else if (a.startsWith("--runs=")) {
                runs = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("--hapi-max=")) {
                hapiMax = Integer.parseInt(a.substring(11));
            } else {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        String loadBefore = load();
        List<String> rows = new ArrayList<>();
        for (int size : sizes) {
            GeneratedHierarchy h = new GeneratedHierarchy(size, 20261126L);
            ValueSet vs = GeneratedHierarchy.filtered("bench-is-a", "concept", ValueSet.FilterOperator.ISA,
                    GeneratedHierarchy.code(0));
            CodeSystem nested = size <= hapiMax ? h.nested() : null;
            List<Double> ours = new ArrayList<>();
            List<Double> hapi = new ArrayList<>();
            Set<String> oursCodes = null;
            Set<String> hapiCodes = null;
            for (int r = 0; r < runs; r++) {
                oursCodes = timed(ours, () -> ours(h.codeSystem, vs));
                if (nested != null) {
                    hapiCodes = timed(hapi, () -> hapi(nested, vs));
                }
            }
            if (!oursCodes.equals(h.codes()) || (hapiCodes != null && !hapiCodes.equals(oursCodes))) {
                throw new IllegalStateException("the expansions differ at " + size + " concepts");
            }
            rows.add(row(size, "ours", ours, oursCodes.size()));
            if (nested != null) {
                rows.add(row(size, "hapi-is-a-walk", hapi, hapiCodes.size()));
            }
        }
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"terminology-is-a-expansion\",\"runs\":%d,\"loadBefore\":\"%s\","
                + "\"loadAfter\":\"%s\",\"java\":\"%s\",\"maxHeapMiB\":%d,\"results\":[%s]}%n", runs, loadBefore, load(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, String.join(",", rows));
    }

    private static Set<String> ours(CodeSystem cs, ValueSet vs) {
        KnowledgeSource source = new KnowledgeSource() {
            @Override
            public Optional<CodeSystem> codeSystem(String canonical) {
                return canonical.startsWith(cs.getUrl()) ? Optional.of(cs) : Optional.empty();
            }

            @Override
            public Optional<ValueSet> valueSet(String canonical) {
                return canonical.equals(vs.getUrl()) ? Optional.of(vs) : Optional.empty();
            }
        };
        return codes(new Terminology(FHIR, source).expand(vs));
    }

    private static Set<String> hapi(CodeSystem nested, ValueSet vs) {
        PrePopulatedValidationSupport stored = new PrePopulatedValidationSupport(FHIR);
        stored.addCodeSystem(nested);
        ValidationSupportChain chain = new ValidationSupportChain(ValidationSupportChain.CacheConfiguration.disabled(),
                stored, new InMemoryTerminologyServerValidationSupport(FHIR));
        var outcome = chain.expandValueSet(new ValidationSupportContext(chain),
                new ValueSetExpansionOptions().setFailOnMissingCodeSystem(false).setCount(Integer.MAX_VALUE), vs);
        return codes((ValueSet) outcome.getValueSet());
    }

    private static Set<String> codes(ValueSet expanded) {
        return Terminology.flatten(expanded.getExpansion().getContains()).stream()
                .map(ValueSet.ValueSetExpansionContainsComponent::getCode).collect(Collectors.toCollection(TreeSet::new));
    }

    private static <T> T timed(List<Double> into, Supplier<T> work) {
        long t0 = System.nanoTime();
        T out = work.get();
        into.add((System.nanoTime() - t0) / 1e6);
        return out;
    }

    private static String row(int size, String variant, List<Double> ms, int codes) {
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "{\"concepts\":%d,\"variant\":\"%s\",\"codes\":%d,\"medianMs\":%.1f,\"runsMs\":%s}",
                size, variant, codes, sorted[sorted.length / 2],
                ms.stream().map(d -> String.format(Locale.ROOT, "%.1f", d)).collect(Collectors.joining(",", "[", "]")));
    }

    private static String load() throws IOException {
        Path p = Path.of("/proc/loadavg");
        return Files.exists(p) ? Files.readString(p).trim() : "unknown";
    }
}
