package org.concilium.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench <what>}: benchmarks that print machine-readable JSON. */
@Command(name = "bench", description = "Benchmarks; each prints machine-readable JSON.",
        subcommands = {FhirBench.class, NetworkBench.class})
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
            @Option(names = "--runs", paramLabel = "N") String runs) throws Exception {
        List<String> args = new ArrayList<>();
        forward(args, "--sizes", sizes);
        forward(args, "--stock-max", stockMax);
        forward(args, "--data", data != null ? data : SharedDataDir.resolve("").toString());
        forward(args, "--measures", measures);
        forward(args, "--runs", runs);
        org.concilium.measure.bench.MeasureBench.main(args.toArray(String[]::new));
        return 0;
    }

    private static void forward(List<String> args, String option, String value) {
        if (value != null) {
            args.add(option);
            args.add(value);
        }
    }
}
