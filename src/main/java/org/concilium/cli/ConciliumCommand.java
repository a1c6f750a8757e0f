package org.concilium.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * {@code bin/concilium}: the command tree. Each subcommand is one small class (or, for a group's
 * tiny actions, one {@code @Command} method); {@code --help} is inherited by all of them, and
 * picocli refuses unknown options and missing values with the usage (exit 2).
 */
@Command(name = "concilium", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        version = "concilium 0.1.0", sortOptions = false,
        description = "One Concilium node and its tools. Without a command: serve.",
        subcommands = {ServeCommand.class, LoadCommand.class, DemoCommand.class, NetworkCommand.class,
                KeysCommand.class, ClientsCommand.class, UsersCommand.class, TokenCommand.class, BenchCommand.class, ConformanceCommand.class, AutoComplete.GenerateCompletion.class})
public final class ConciliumCommand {

    /** The command line with our conventions: case-sensitive, no abbreviated options, usage on errors. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ConciliumCommand());
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        // a failing command says what failed in one line, not with a stack trace (CONCILIUM_TRACE=1 adds it)
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("concilium " + cmd.getCommandName() + ": failed: " + e);
            if (System.getenv("CONCILIUM_TRACE") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl;
    }
}
