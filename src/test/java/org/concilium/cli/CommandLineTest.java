package org.concilium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line refuses what it does not know, before any command runs. */
class CommandLineTest {

    /** Exit status and the two streams of one invocation. */
    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ConciliumCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void anUnknownOptionIsAnErrorWithTheUsageAndNothingStarts() {
        Run r = run("serve", "--prot", "9000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown options: '--prot', '9000'").contains("Usage: concilium serve");
    }

    @Test
    void aMissingValueIsAnError() {
        Run r = run("load", "data", "--url");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter for option '--url'").contains("Usage: concilium load");
    }

    @Test
    void aValueOfTheWrongTypeIsAnError() {
        Run r = run("serve", "--port", "eighty");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for option '--port'");
    }

    @Test
    void requiredOptionsSubcommandsAndPositionalsAreEnforced() {
        assertThat(run("keys", "init").err()).contains("Missing required option: '--site=ID'");
        assertThat(run("network").err()).contains("Missing required subcommand");
        assertThat(run("load").err()).contains("Missing required options and parameters").contains("'PATH'");
        assertThat(run("frobnicate").err()).contains("Unmatched argument at index 0: 'frobnicate'");
        assertThat(run("bench", "crypto", "--reps").code()).isEqualTo(2);
    }

    @Test
    void everyCommandAnswersHelpWithItsOwnUsage() {
        List<String> paths = new ArrayList<>();
        collect(ConciliumCommand.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).contains("serve", "load", "demo", "network up", "network down", "keys init", "bench fhir",
                "bench crypto", "bench measure", "bench network", "generate-completion");
        for (String path : paths) {
            List<String> args = new ArrayList<>(List.of(path.split(" ")));
            args.add("--help");
            Run r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(path).isZero();
            assertThat(r.out()).as(path).contains("Usage: concilium " + path).contains("-h, --help");
        }
    }

    private static void collect(CommandLine cl, List<String> prefix, List<String> paths) {
        for (var sub : cl.getSubcommands().entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(sub.getKey());
            if (sub.getValue().getSubcommands().isEmpty()) {
                paths.add(String.join(" ", path));
            } else {
                collect(sub.getValue(), path, paths);
            }
        }
    }
}
