package org.concilium.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of {@code bin/concilium}: parses the command line ({@link ConciliumCommand}) and
 * runs the subcommand. Only {@code serve} starts Quarkus, after it has set the configuration
 * (embedded PostgreSQL URL, ports) as system properties; the others are clients of running nodes.
 */
@QuarkusMain
public final class ConciliumMain {

    private ConciliumMain() {
    }

    public static void main(String... args) {
        String[] effective = args.length == 0 ? new String[] {"serve"} : args;
        int code = ConciliumCommand.commandLine().execute(effective);
        // serve returns once Quarkus has stopped; every other command ends the JVM with its status
        if (code != 0 || !"serve".equals(effective[0])) {
            System.exit(code);
        }
    }

    /** Starts Quarkus with the given system properties already set; returns when it stops. */
    static void runQuarkus(String... args) {
        Quarkus.run(args);
    }
}
