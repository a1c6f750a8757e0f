package org.concilium.cli;

import java.nio.file.Path;
import org.concilium.store.EmbeddedDatabase;

/** {@code serve}: one node. Starts the embedded PostgreSQL first unless an external database is configured. */
final class ServeCommand {

    private ServeCommand() {
    }

    static int run(String[] args) {
        Options o = Options.parse(args);
        if (o.named().containsKey("port")) {
            System.setProperty("quarkus.http.port", o.get("port", "8080"));
        }
        if (o.named().containsKey("site")) {
            System.setProperty("concilium.site.id", o.get("site", "local"));
        }
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

    private static String externalDatabase() {
        String env = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL");
        return env != null && !env.isBlank() ? env : System.getProperty("quarkus.datasource.reactive.url");
    }
}
