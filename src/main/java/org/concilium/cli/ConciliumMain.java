package org.concilium.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * Entry point of {@code bin/concilium}: the first argument names the subcommand. Only
 * {@code serve} starts the Quarkus node; the others are clients of running nodes.
 */
@QuarkusMain
public final class ConciliumMain {

    private ConciliumMain() {
    }

    public static void main(String... args) {
        String command = args.length == 0 ? "serve" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        int code = switch (command) {
            case "serve" -> ServeCommand.run(rest);
            case "load" -> LoadCommand.run(rest);
            case "bench" -> BenchCommand.run(rest);
            case "keys" -> KeysCommand.run(rest);
            case "network" -> NetworkCommand.run(rest);
            case "demo" -> demo(rest);
            case "help", "--help", "-h" -> usage(0);
            default -> {
                System.err.println("concilium: unknown command '" + command + "'");
                yield usage(2);
            }
        };
        if (code != 0 || !"serve".equals(command)) {
            System.exit(code);
        }
    }

    private static int demo(String[] args) {
        try {
            return DemoCommand.run(args);
        } catch (java.io.IOException e) {
            System.err.println("demo failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static int usage(int code) {
        System.out.println("""
                usage: bin/concilium <command> [options]
                  serve [--port N] [--data DIR] [--site ID]   run this site's node (embedded PostgreSQL in DIR unless
                                                             QUARKUS_DATASOURCE_REACTIVE_URL names another)
                  load PATH... [--url URL] [--concurrency N]  load Bundles (.json) or NDJSON files/folders through the API
                  bench fhir [--data DIR]                     ingest rate and search latency of a fresh node (JSON)
                  keys init --site ID [--dir DIR]             identity key + self-signed certificate, prints the descriptor entry
                  network up --sites N --dir DIR              N nodes on loopback, key ceremony done, DIR/network.json
                    [--min-cell-size K --epsilon E --delta D --epsilon-budget B]   the network's privacy policy
                  network down --dir DIR                      stop them
                  demo [--sites 3] [--patients 500] [--data DIR] [--period-start D --period-end D] [--exit]
                                                             the whole story on loopback
                """);
        return code;
    }

    /** Starts Quarkus with the given system properties already set; returns when it stops. */
    static void runQuarkus(String... args) {
        Quarkus.run(args);
    }
}
