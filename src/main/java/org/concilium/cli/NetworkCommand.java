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
                // the network's privacy policy goes into the descriptor (docs/privacy.md)
                List<String> policy = new java.util.ArrayList<>();
                for (String option : List.of("min-cell-size", "epsilon", "delta", "epsilon-budget")) {
                    if (o.named().containsKey(option)) {
                        policy.addAll(List.of("--" + option, o.get(option, "")));
                    }
                }
                List<LocalNetwork.Site> sites = LocalNetwork.up(dir, n, policy);
                sites.forEach(s -> System.out.println(s.id() + "  " + s.networkBase() + "  (pid " + s.pid() + ")"));
                System.out.println("network ready: " + dir.resolve("network.json"));
                return 0;
            }
            case "down" -> {
                System.out.println("stopped " + LocalNetwork.down(dir) + " nodes");
                return 0;
            }
            default -> {
                System.err.println("usage: bin/concilium network up --sites N --dir DIR [--min-cell-size K --epsilon E"
                        + " --delta D --epsilon-budget B] | network down --dir DIR");
                return 2;
            }
        }
    }
}
