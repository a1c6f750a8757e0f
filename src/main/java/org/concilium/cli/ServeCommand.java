package org.concilium.cli;

import java.nio.file.Path;
import org.concilium.store.EmbeddedDatabase;

/** {@code serve}: one node. Starts the embedded PostgreSQL first unless an external database is configured. */
final class ServeCommand {

    private ServeCommand() {
    }

    static int run(String[] args) {
        Options o = Options.parse(args);
        for (String moved : new String[] {"min-cell-size", "epsilon", "epsilon-budget"}) {
            if (o.named().containsKey(moved)) {
                // one site cannot choose its own privacy policy: every site enforces the descriptor's
                System.err.println("concilium: --" + moved + " is part of the network's privacy policy now: set it in"
                        + " the descriptor's \"privacy\" block (docs/privacy.md)");
                return 2;
            }
        }
        if (o.named().containsKey("port")) {
            System.setProperty("quarkus.http.port", o.get("port", "8080"));
        }
        if (o.named().containsKey("site")) {
            System.setProperty("concilium.site.id", o.get("site", "local"));
        }
        // network membership: descriptor, identity folder, peer port, key-encryption key file
        copy(o, "network", "concilium.network.descriptor");
        copy(o, "identity", "concilium.network.identity-dir");
        copy(o, "peer-port", "concilium.network.peer-port");
        copy(o, "kek", "concilium.network.kek-file");
        copy(o, "allowed-measures", "concilium.network.allowed-measures");
        copy(o, "queriers", "concilium.network.queriers-file");
        copy(o, "halt-at", "concilium.network.halt-at"); // crash tests only (federation/query/CrashPoint)
        String dataDir = o.get("data", System.getProperty("concilium.data-dir", "data/node"));
        System.setProperty("concilium.data-dir", dataDir);
        EmbeddedDatabase db = null;
        if (externalDatabase() == null) {
            db = EmbeddedDatabase.start(Path.of(dataDir).toAbsolutePath().resolve("postgres"));
            db.quarkusConfig().forEach(System::setProperty);
            System.out.println("concilium: embedded PostgreSQL for " + dataDir + " at " + db.reactiveUrl());
        }
        try {
            ConciliumMain.runQuarkus();
        } finally {
            if (db != null) {
                db.close();
            }
        }
        return 0;
    }

    private static void copy(Options o, String option, String property) {
        if (o.named().containsKey(option)) {
            System.setProperty(property, o.get(option, ""));
        }
    }

    private static String externalDatabase() {
        String env = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL");
        return env != null && !env.isBlank() ? env : System.getProperty("quarkus.datasource.reactive.url");
    }
}
