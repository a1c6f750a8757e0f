package org.concilium.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench <what>}: benchmarks that print machine-readable JSON. */
@Command(name = "bench", description = "Benchmarks; each prints machine-readable JSON.",
        subcommands = {FhirBench.class, BulkDataBench.class, NetworkBench.class, LoadBench.class})
final class BenchCommand {

    // the library benchmarks (mhe/bench, measure/bench) have their own main; these forward to it

    @Command(name = "crypto", description = "NTT, encryption, shares, pipelines and bytes per parameter set.")
    int crypto(@Option(names = "--json", description = "accepted for compatibility: the output is always JSON")
            boolean json,
            @Option(names = "--reps", paramLabel = "N", description = "repetitions (default 15)") Integer reps,
            @Option(names = "--sets", split = ",", paramLabel = "SET") List<String> sets) {
        List<String> args = new ArrayList<>();
        if (reps != null) {
            args.add("--reps=" + reps);
        }
        if (sets != null) {
            args.add("--sets=" + String.join(",", sets));
        }
        org.concilium.mhe.bench.CryptoBench.main(args.toArray(String[]::new));
        return 0;
    }

    @Command(name = "measure", description = "Patients/s of our engine against stock cqf-fhir-cr.")
    int measure(@Option(names = "--sizes", paramLabel = "N,N") String sizes,
            @Option(names = "--stock-max", paramLabel = "N") String stockMax,
            @Option(names = "--data", paramLabel = "DIR", description = "fixtures (default ../shared/data)") String data,
            @Option(names = "--measures", paramLabel = "ID,ID") String measures,
            @Option(names = "--runs", paramLabel = "N") String runs,
            @Option(names = "--source", paramLabel = "memory|store", defaultValue = "memory",
                    description = "store: load the clones into an embedded PostgreSQL and evaluate from it in bounded memory")
            String source,
            @Option(names = "--batch", paramLabel = "N", description = "store: patients per batch (default 2000)") String batch,
            @Option(names = "--in-memory", paramLabel = "N",
                    description = "store: also run the in-memory path on N patients in a child JVM, same run") String inMemory,
            @Option(names = "--in-memory-heap", paramLabel = "SIZE", description = "store: its heap (default 8g)") String inMemoryHeap,
            @Option(names = "--db-dir", paramLabel = "DIR", description = "store: PostgreSQL folder (default: a temporary one)")
            String dbDir,
            @Option(names = "--loader", paramLabel = "copy|unnest|both",
                    description = "store: how to load (default copy; both: chunks alternate, rates side by side)")
            String loader,
            @Option(names = "--load-chunk", paramLabel = "N", description = "store: patients per COPY transaction (default 2000)")
            String loadChunk,
            @Option(names = "--drop-indexes", paramLabel = "true|false",
                    description = "store: drop the bench database's indexes during each load step, build them after (default true)")
            String dropIndexes,
            @Option(names = "--min-available-mib", paramLabel = "MIB",
                    description = "store: stop (exit 3) when the machine has less memory available (default 6144)")
            String minAvailable) throws Exception {
        List<String> args = new ArrayList<>();
        forward(args, "--sizes", sizes);
        forward(args, "--data", data != null ? data : SharedDataDir.resolve("").toString());
        forward(args, "--measures", measures);
        switch (source) {
            case "memory" -> {
                forward(args, "--stock-max", stockMax);
                forward(args, "--runs", runs);
                org.concilium.measure.bench.MeasureBench.main(args.toArray(String[]::new));
            }
            case "store" -> {
                forward(args, "--batch", batch);
                forward(args, "--in-memory", inMemory);
                forward(args, "--in-memory-heap", inMemoryHeap);
                forward(args, "--db-dir", dbDir);
                forward(args, "--loader", loader);
                forward(args, "--load-chunk", loadChunk);
                forward(args, "--drop-indexes", dropIndexes);
                forward(args, "--min-available-mib", minAvailable);
                org.concilium.measure.bench.StoreMeasureBench.main(args.toArray(String[]::new));
            }
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--source must be memory or store");
        }
        return 0;
    }

    @Command(name = "terminology", description = "is-a expansion over generated CodeSystems: ours against HAPI's own walk.")
    int terminology(@Option(names = "--sizes", paramLabel = "N,N", description = "concepts (default 1000,10000,50000)")
            String sizes,
            @Option(names = "--runs", paramLabel = "N", description = "runs per size and variant (default 3)") String runs,
            @Option(names = "--hapi-max", paramLabel = "N",
                    description = "largest size the quadratic baseline runs at (default 10000)") String hapiMax)
            throws Exception {
        List<String> args = new ArrayList<>();
        if (sizes != null) {
            args.add("--sizes=" + sizes);
        }
        if (runs != null) {
            args.add("--runs=" + runs);
        }
        if (hapiMax != null) {
            args.add("--hapi-max=" + hapiMax);
        }
        org.concilium.terminology.bench.ExpansionBench.main(args.toArray(String[]::new));
        return 0;
    }

    @Command(name = "token", description = "Microseconds to verify a bearer token, uncached and cached.")
    int token(@Option(names = "--iterations", defaultValue = "200000", paramLabel = "N") int iterations) {
        org.concilium.security.bench.TokenVerificationBench.main(Integer.toString(iterations));
        return 0;
    }

    private static void forward(List<String> args, String option, String value) {
        if (value != null) {
            args.add(option);
            args.add(value);
        }
    }
}
