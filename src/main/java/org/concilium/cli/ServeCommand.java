package org.concilium.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.concilium.store.DatabaseUrls;
import org.concilium.store.EmbeddedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: one node. Starts the embedded PostgreSQL first unless an external database is configured. */
@Command(name = "serve", sortOptions = false, description = {"Run this site's node.",
        "Embedded PostgreSQL in DIR/postgres unless QUARKUS_DATASOURCE_REACTIVE_URL names another."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", description = "HTTP port of /fhir and /network/fhir (default 8080)")
    Integer port;
    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "address /fhir and /network/fhir listen on (default 127.0.0.1: this machine only)")
    String host;
    @Option(names = "--network-port", paramLabel = "N",
            description = "serve /network/fhir on this port only (default: on --port, beside /fhir)")
    Integer networkPort;
    @Option(names = "--network-host", paramLabel = "ADDRESS",
            description = "address the separate network listener binds (default 127.0.0.1)")
    String networkHost;
    @Option(names = "--data", paramLabel = "DIR", description = "data folder (default data/node)")
    String data;
    @Option(names = "--site", paramLabel = "ID", description = "this site's id")
    String site;
    @Option(names = "--network", paramLabel = "FILE", description = "network descriptor (network.json)")
    String network;
    @Option(names = "--identity", paramLabel = "DIR", description = "this site's identity folder (keys init)")
    String identity;
    @Option(names = "--peer-port", paramLabel = "N", description = "port of the mutual-TLS peer channel")
    Integer peerPort;
    @Option(names = "--kek", paramLabel = "FILE", description = "key-encryption key file for secret-key shares")
    String kek;
    // no --min-cell-size / --epsilon / --epsilon-budget: the privacy policy is the network's, in the
    // descriptor's "privacy" block (docs/privacy.md); one site cannot choose its own
    @Option(names = "--allowed-measures", paramLabel = "URLS", description = "comma-separated canonical URLs")
    String allowedMeasures;
    @Option(names = "--site-timeout", paramLabel = "DURATION",
            description = "how long the entry node waits for one site in one round (ISO-8601, default PT120S)")
    String siteTimeout;
    @Option(names = "--peer-body-timeout", paramLabel = "DURATION",
            description = "how long a peer request's body may take to arrive (ISO-8601, default PT60S; 408 after)")
    String peerBodyTimeout;
    @Option(names = "--max-queries-in-flight", paramLabel = "N",
            description = "network queries this node runs as entry node at once; more get 503 (default 32)")
    Integer maxQueriesInFlight;
    @Option(names = "--replica-id", paramLabel = "NAME", description = "this replica's name, stable across its"
            + " restarts (default: kept in DIR/replica-id); replicas of one site share its database")
    String replicaId;
    @Option(names = "--replica-lease", paramLabel = "DURATION",
            description = "how long a query stays this replica's after its last renewal (ISO-8601, default PT30S)")
    String replicaLease;
    @Option(names = "--halt-at", paramLabel = "STEP", hidden = true, description = "crash tests only")
    String haltAt;

    @Override
    public Integer call() {
        set("quarkus.http.port", port);
        set("quarkus.http.host", host);
        set("concilium.network-api.port", networkPort);
        set("concilium.network-api.host", networkHost);
        set("concilium.site.id", site);
        // network membership: descriptor, identity folder, peer port, key-encryption key file
        set("concilium.network.descriptor", network);
        set("concilium.network.identity-dir", identity);
        set("concilium.network.peer-port", peerPort);
        set("concilium.network.kek-file", kek);
        set("concilium.network.allowed-measures", allowedMeasures);
        set("concilium.network.max-queries-in-flight", maxQueriesInFlight);
        set("concilium.network.site-timeout", siteTimeout);
        set("concilium.network.peer-body-timeout", peerBodyTimeout);
        set("concilium.replica.id", replicaId);
        set("concilium.replica.lease", replicaLease);
        set("concilium.network.halt-at", haltAt); // crash tests only (federation/query/CrashPoint)
        String dataDir = data != null ? data : System.getProperty("concilium.data-dir", "data/node");
        System.setProperty("concilium.data-dir", dataDir);
        EmbeddedDatabase db = null;
        String external = externalDatabase();
        if (external != null && jdbcUrlUnset()) {
            System.setProperty("quarkus.datasource.jdbc.url", DatabaseUrls.jdbcFromReactive(external));
        }
        if (external == null) {
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

    private static void set(String property, Object value) {
        if (value != null) {
            System.setProperty(property, value.toString());
        }
    }

    /** Flyway migrates over JDBC: derived from the reactive URL unless QUARKUS_DATASOURCE_JDBC_URL is given. */
    private static boolean jdbcUrlUnset() {
        String env = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        return (env == null || env.isBlank()) && System.getProperty("quarkus.datasource.jdbc.url") == null;
    }

    private static String externalDatabase() {
        String env = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL");
        return env != null && !env.isBlank() ? env : System.getProperty("quarkus.datasource.reactive.url");
    }
}
