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
            @Option(names = "--dir", defaultValue = "demo-network", paramLabel = "DIR") Path dir) {
        System.err.println("starting " + sites + " sites in " + dir + " (key ceremony included)...");
        List<LocalNetwork.Site> started = LocalNetwork.up(dir, sites, List.of());
        started.forEach(s -> System.out.println(s.id() + "  " + s.networkBase() + "  (pid " + s.pid() + ")"));
        System.out.println("network ready: " + dir.resolve("network.json"));
        System.out.println("every site accepts the client '" + LocalAdmin.CLIENT_ID + "' (all scopes); for "
                + started.get(0).id() + ":\n" + LocalAdmin.howToGetAToken(dir.resolve("admin"),
                started.get(0).fhirBase()));
        return 0;
    }

    @Command(name = "down", description = "Stop the nodes of DIR.")
    int down(@Option(names = "--dir", defaultValue = "demo-network", paramLabel = "DIR") Path dir) {
        System.out.println("stopped " + LocalNetwork.down(dir) + " nodes");
        return 0;
    }
}
