/**
 * {@code bin/concilium}: the entry point ({@link org.concilium.cli.ConciliumMain}) and one class per
 * subcommand, parsed by picocli. {@code serve} starts the Quarkus node; every other command is a
 * client of running nodes (load, demo, network, keys, bench) and never boots Quarkus.
 *
 * <p><b>Why plain picocli, not quarkus-picocli:</b> {@code serve} must start the embedded PostgreSQL
 * and set its URLs (reactive and JDBC) as system properties <em>before</em> Quarkus reads its
 * configuration and Flyway migrates; with quarkus-picocli the application, datasources and
 * migrations start before any command runs, and {@code load} or {@code bench} would boot a node
 * with no database. So picocli parses first and {@code serve} then calls {@code Quarkus.run}.
 *
 * <p><b>Adding a command</b> (porting one written as {@code run(String[] args)} over the old
 * {@code Options} map is mechanical):
 * <ol>
 * <li>{@code @Command(name = "clients", description = "...") final class ClientsCommand implements
 * Callable<Integer>}; each {@code o.get("x", "d")} becomes
 * {@code @Option(names = "--x", defaultValue = "d", paramLabel = "X") String x;} (typed: int, Path,
 * boolean for flags), positional arguments become {@code @Parameters}; {@code call()} is the old
 * body and returns the exit status. Never print your own usage: picocli does.</li>
 * <li>A group with sub-actions ({@code bench load}, {@code keys init}): a class without
 * {@code call()} whose actions are {@code @Command} methods (see {@link org.concilium.cli.NetworkCommand})
 * or classes listed in {@code subcommands} (see {@link org.concilium.cli.BenchCommand}).</li>
 * <li>Register it in {@link org.concilium.cli.ConciliumCommand}'s {@code subcommands}. {@code --help}
 * is inherited; {@code CommandLineTest} checks every command answers it.</li>
 * </ol>
 *
 * <p>May depend on every other package (it wires them together); nothing depends on it.
 */
package org.concilium.cli;
