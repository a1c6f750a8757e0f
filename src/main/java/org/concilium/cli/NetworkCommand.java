package org.concilium.cli;

import java.nio.file.Path;
import java.util.List;

/** {@code network up --sites N --dir DIR} / {@code network down --dir DIR}. */
final class NetworkCommand {

    private NetworkCommand() {
    }

    static int run(String[] args) {
        Options o = Options.parse(args);
        String action = o.positional().isEmpty() ? "" : o.positional().get(0);
        Path dir = Path.of(o.get("dir", "demo-network"));
        switch (action) {
            case "up" -> {
                int n = Integer.parseInt(o.get("sites", "3"));
                System.err.println("starting " + n + " sites in " + dir + " (key ceremony included)...");
                List<LocalNetwork.Site> sites = LocalNetwork.up(dir, n, List.of());
                sites.forEach(s -> System.out.println(s.id() + "  " + s.networkBase() + "  (pid " + s.pid() + ")"));
                System.out.println("network ready: " + dir.resolve("network.json"));
                System.out.println("every site accepts the client '" + LocalAdmin.CLIENT_ID + "' (all scopes); for "
                        + sites.get(0).id() + ":\n" + LocalAdmin.howToGetAToken(dir.resolve("admin"),
                        sites.get(0).fhirBase()));
                return 0;
            }
            case "down" -> {
                System.out.println("stopped " + LocalNetwork.down(dir) + " nodes");
                return 0;
            }
            default -> {
                System.err.println("usage: bin/concilium network up --sites N --dir DIR | network down --dir DIR");
                return 2;
            }
        }
    }
}
