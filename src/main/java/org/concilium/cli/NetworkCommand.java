package org.concilium.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code network up|down}: a local network of nodes on loopback. */
@Command(name = "network", description = "A local network of nodes on loopback.")
final class NetworkCommand {

    @Command(name = "up", description = "Start N nodes, run the key ceremony, write DIR/network.json.")
    int up(@Option(names = "--sites", defaultValue = "3", paramLabel = "N") int sites,
            @Option(names = "--dir", defaultValue = "demo-network", paramLabel = "DIR") Path dir,
            @Option(names = "--min-cell-size", paramLabel = "K", description = "privacy policy: small-cell threshold")
            String minCellSize,
            @Option(names = "--epsilon", paramLabel = "E", description = "privacy policy: DP epsilon per query")
            String epsilon,
            @Option(names = "--delta", paramLabel = "D", description = "privacy policy: DP delta") String delta,
            @Option(names = "--epsilon-budget", paramLabel = "B", description = "privacy policy: epsilon per querier")
            String budget) {
        System.err.println("starting " + sites + " sites in " + dir + " (key ceremony included)...");
        // the network's privacy policy goes into the descriptor every site reads (docs/privacy.md)
        List<String> policy = new java.util.ArrayList<>();
        String[][] given = {{"--min-cell-size", minCellSize}, {"--epsilon", epsilon}, {"--delta", delta},
            {"--epsilon-budget", budget}};
        for (String[] option : given) {
            if (option[1] != null) {
                policy.addAll(List.of(option[0], option[1]));
            }
        }
        List<LocalNetwork.Site> started = LocalNetwork.up(dir, sites, policy);
        started.forEach(s -> System.out.println(s.id() + "  " + s.networkBase() + "  (pid " + s.pid() + ")"));
        System.out.println("network ready: " + dir.resolve("network.json"));
        System.out.println("every site accepts the client '" + LocalAdmin.CLIENT_ID + "' (all scopes); for "
                + started.get(0).id() + ":\n" + LocalAdmin.howToGetAToken(dir.resolve("admin"),
                started.get(0).fhirBase()));
        System.out.println(LocalUiUsers.howToSignIn(started.get(0), LocalUiUsers.create(dir, started)));
        return 0;
    }

    @Command(name = "down", description = "Stop the nodes of DIR.")
    int down(@Option(names = "--dir", defaultValue = "demo-network", paramLabel = "DIR") Path dir) {
        System.out.println("stopped " + LocalNetwork.down(dir) + " nodes");
        return 0;
    }
}
