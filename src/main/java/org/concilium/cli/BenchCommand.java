package org.concilium.cli;

/** {@code bench <what>}: benchmarks that print machine-readable JSON. */
final class BenchCommand {

    private BenchCommand() {
    }

    /** The arguments after the benchmark's name. */
    private static String[] rest(String[] args) {
        return java.util.Arrays.copyOfRange(args, 1, args.length);
    }

    static int run(String[] args) {
        String what = args.length == 0 ? "" : args[0];
        Options o = Options.parse(rest(args.length == 0 ? new String[] {""} : args));
        try {
            return switch (what) {
                case "fhir" -> FhirBench.run(o);
                case "network" -> NetworkBench.run(o);
                // the library benchmarks keep their own argument parsing and print JSON themselves
                case "crypto" -> {
                    org.concilium.mhe.bench.CryptoBench.main(rest(args));
                    yield 0;
                }
                case "measure" -> {
                    if (java.util.Arrays.asList(args).contains("store")) { // --source store: bounded memory
                        org.concilium.measure.bench.StoreMeasureBench.main(rest(args));
                        yield 0;
                    }
                    org.concilium.measure.bench.MeasureBench.main(rest(args));
                    yield 0;
                }
                default -> {
                    System.err.println("usage: bin/concilium bench fhir [--data DIR] [--rounds N] | crypto [--json]"
                            + " | measure [--sizes 1000,10000] [--source store]"
                            + " | network [--sites 3,5] [--patients 1000,10000] [--reps 5]");
                    yield 2;
                }
            };
        } catch (Exception e) {
            System.err.println("bench failed: " + e);
            return 1;
        }
    }
}
