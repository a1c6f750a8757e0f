package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.concilium.cli.LoadCommand;
import org.concilium.cli.LocalAdmin;
import org.concilium.cli.LocalNetwork;
import org.concilium.cli.NodeProcess;
import org.concilium.demo.DemoMeasures;
import org.concilium.demo.SyntheticPopulation;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;
import org.concilium.store.EmbeddedDatabase;
import org.concilium.testing.BearerTokens;

/**
 * N real nodes on loopback (own processes, embedded databases, mutual TLS), each with its own
 * synthetic population, plus (unless left out) one stand-alone node holding the union of their
 * data; the sample measures published to the network and stored on the union node. Sites can be
 * stopped and restarted; restarted processes are stopped on close.
 */
final class NetworkFixture implements AutoCloseable {

    static final String PERIOD = "periodStart=2024-01-01&periodEnd=2024-12-31";
    /** The bearer token of each node of every fixture, attached by {@link #fhir()}. */
    private static final BearerTokens TOKENS = new BearerTokens(origin -> null);

    final Path dir;
    final List<LocalNetwork.Site> sites;
    final NodeProcess union;
    final NetworkDescriptor descriptor;
    private final Map<String, NodeProcess> restarted = new ConcurrentHashMap<>();

    private NetworkFixture(Path dir, List<LocalNetwork.Site> sites, NodeProcess union, NetworkDescriptor descriptor) {
        this.dir = dir;
        this.sites = sites;
        this.union = union;
        this.descriptor = descriptor;
    }

    static NetworkFixture start(int n, int patientsPerSite) throws Exception {
        return start(n, patientsPerSite, List.of("--min-cell-size", "1"));
    }

    static NetworkFixture start(int n, int patientsPerSite, List<String> nodeArgs) throws Exception {
        return start(n, patientsPerSite, nodeArgs, true);
    }

    /** Without the union node, for tests that compare the network with itself (one process less). */
    static NetworkFixture start(int n, int patientsPerSite, List<String> nodeArgs, boolean withUnion) throws Exception {
        Path dir = Files.createTempDirectory("concilium-network-it");
        List<LocalNetwork.Site> sites = LocalNetwork.up(dir.resolve("net"), n, nodeArgs);
        NodeProcess union = withUnion ? NodeProcess.start(NodeProcess.freePort(), dir.resolve("union"), List.of())
                .awaitReady(Duration.ofMinutes(3)) : null;
        NetworkFixture f = new NetworkFixture(dir, sites, union, NetworkDescriptor.read(dir.resolve("net/descriptor.json")));
        for (LocalNetwork.Site s : sites) {
            TOKENS.register(s.fhirBase(), LocalNetwork.tokens(dir.resolve("net"), s));
        }
        if (union != null) {
            ClientKey admin = LocalAdmin.key(dir.resolve("net").resolve("admin"));
            LocalAdmin.register(dir.resolve("union"), admin);
            TOKENS.register(union.baseUrl(), LocalAdmin.tokens(union.baseUrl() + "/fhir", admin));
        }
        for (int i = 0; i < n; i++) {
            Path data = dir.resolve("data-" + i);
            SyntheticPopulation.writeBundles(data, 42, i, patientsPerSite, 40);
            assertThat(LoadCommand.load(List.of(data), sites.get(i).fhirBase(), 2, false, f.tokens(sites.get(i).id()))
                    .failures()).isEmpty();
            if (union != null) {
                assertThat(LoadCommand.load(List.of(data), union.baseUrl() + "/fhir", 2, false, f.unionTokens())
                        .failures()).isEmpty();
            }
        }
        for (String id : DemoMeasures.IDS) {
            if (union != null) {
                fhir().contentType("application/fhir+json").body(DemoMeasures.json(id))
                        .put(union.baseUrl() + "/fhir/Measure/" + id).then().statusCode(201);
            }
        }
        fhir().contentType("application/fhir+json").body(DemoMeasures.publication(DemoMeasures.IDS))
                .post(sites.get(0).networkBase()).then().statusCode(200);
        return f;
    }

    @Override
    public void close() {
        if (union != null) {
            union.close();
        }
        restarted.forEach((key, p) -> {
            if (key.contains("#")) {
                p.close(); // replicas, before the database they share stops with its site
            }
        });
        sites.forEach(s -> stop(s.id()));
        // a site a test halted and did not restart leaves its PostgreSQL running
        sites.forEach(s -> EmbeddedDatabase.stopOrphan(dir.resolve("net").resolve(s.id()).resolve("postgres")));
        deleteAllButLogs(dir);
    }

    /** Databases and bundles are hundreds of MB per run; the node logs stay for a failed test's reader. */
    private static void deleteAllButLogs(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.toString().endsWith(".log"))
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not clean " + root + ": " + e.getMessage());
        }
    }

    /** The process now serving a site: the one a test restarted last, else the original. */
    long pid(String siteId) {
        NodeProcess p = restarted.get(siteId);
        return p != null ? p.pid() : sites.stream().filter(s -> s.id().equals(siteId)).findFirst().orElseThrow().pid();
    }

    /** Stops a site gracefully (SIGTERM) and waits until it has exited. */
    void stop(String siteId) {
        // only our own child: the pid of a node that died may have been reused since
        ProcessHandle.of(pid(siteId)).filter(p -> p.parent().filter(ProcessHandle.current()::equals).isPresent())
                .ifPresent(p -> {
                    p.destroy();
                    try {
                        p.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
    }

    /** Starts a stopped (or crashed) site again with its first arguments plus {@code extraArgs}; waits until ready. */
    NodeProcess restart(String siteId, String... extraArgs) {
        NodeProcess p = LocalNetwork.restart(dir.resolve("net"), siteId, extraArgs);
        restarted.put(siteId, p);
        return p;
    }

    /**
     * Starts another replica of {@code siteId} on its database ({@code env} names it, as
     * QUARKUS_DATASOURCE_REACTIVE_URL), with the site's identity, key-encryption key and descriptor,
     * its own HTTP and peer ports, data folder DIR/replica-NAME and {@code extraArgs}; waits until
     * ready and registers the admin token for it.
     */
    NodeProcess startReplica(String siteId, String name, Map<String, String> env, String... extraArgs) {
        return startReplica(siteId, name, NodeProcess.freePort(), env, extraArgs);
    }

    /** As above, with the replica's peer port. */
    NodeProcess startReplica(String siteId, String name, int peerPort, Map<String, String> env, String... extraArgs) {
        try {
            List<String> args = new ArrayList<>(Files.readAllLines(dir.resolve("net").resolve(siteId).resolve("args")));
            args.remove(0); // the original's HTTP port
            int peer = args.indexOf("--peer-port");
            args.set(peer + 1, Integer.toString(peerPort));
            args.addAll(List.of(extraArgs));
            NodeProcess p = NodeProcess.start(NodeProcess.freePort(), dir.resolve("replica-" + name), args, env)
                    .awaitReady(Duration.ofMinutes(8));
            TOKENS.register(p.baseUrl(), LocalAdmin.tokens(p.baseUrl() + "/fhir",
                    LocalAdmin.key(dir.resolve("net").resolve("admin"))));
            restarted.put(siteId + "#" + name, p);
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The peer port a site was started with (the address in the descriptor). */
    int peerPort(String siteId) {
        try {
            List<String> args = Files.readAllLines(dir.resolve("net").resolve(siteId).resolve("args"));
            return Integer.parseInt(args.get(args.indexOf("--peer-port") + 1));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Starts a stopped site again listening for peers on {@code peerPort} instead of the port the
     * descriptor names (a test's {@link PeerRelay} takes that one); waits until ready.
     */
    NodeProcess restartBehindRelay(String siteId, int peerPort) throws java.io.IOException {
        Path siteDir = dir.resolve("net").resolve(siteId);
        List<String> args = new ArrayList<>(Files.readAllLines(siteDir.resolve("args")));
        args.set(args.indexOf("--peer-port") + 1, Integer.toString(peerPort));
        NodeProcess p = NodeProcess.start(Integer.parseInt(args.get(0)), siteDir, args.subList(1, args.size()))
                .awaitReady(Duration.ofMinutes(8));
        restarted.put(siteId, p);
        return p;
    }

    /**
     * Asks {@code probe} until it answers non-null and returns that answer; fails naming
     * {@code what} when {@code timeout} passes first. The pause between probes is only the polling
     * interval: nothing waits a fixed time for something to have happened.
     */
    static <T> T poll(Duration timeout, String what, java.util.function.Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T answer = probe.get();
            if (answer != null) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    /** The site's node log (all of its runs, appended). */
    String log(String siteId) throws java.io.IOException {
        return Files.readString(dir.resolve("net").resolve(siteId).resolve("node.log"));
    }

    /** A request to any node of a running fixture, with that node's admin token attached. */
    static RequestSpecification fhir() {
        return RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").filter(TOKENS);
    }

    /** A request without a token. */
    static RequestSpecification anonymous() {
        return RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json");
    }

    /** The admin client's tokens at one site (a restarted site issues new ones; the source renews by itself). */
    AccessTokenSource tokens(String siteId) {
        return LocalNetwork.tokens(dir.resolve("net"), sites.stream().filter(s -> s.id().equals(siteId)).findFirst()
                .orElseThrow());
    }

    AccessTokenSource unionTokens() {
        return LocalAdmin.tokens(union.baseUrl() + "/fhir", LocalAdmin.key(dir.resolve("net").resolve("admin")));
    }

    /** Network report == local report of the union node, count for count and score for score. */
    void assertNetworkEqualsUnion(String measureId, int entry) {
        JsonPath network = JsonPath.from(fhir().get(sites.get(entry).networkBase() + "/Measure/" + measureId
                + "/$evaluate-measure?" + PERIOD).then().statusCode(200).extract().asString());
        JsonPath local = JsonPath.from(fhir().get(union.baseUrl() + "/fhir/Measure/" + measureId
                + "/$evaluate-measure?reportType=population&" + PERIOD).then().statusCode(200).extract().asString());
        assertThat(counts(network)).as(measureId).isEqualTo(counts(local)).isNotEmpty();
        assertThat(network.getList("group.measureScore.value")).as(measureId + " scores")
                .isEqualTo(local.getList("group.measureScore.value"));
        assertThat(network.getString("extension.find { it.url.endsWith('contributing-sites') }.valueInteger"))
                .isEqualTo(Integer.toString(sites.size()));
    }

    SiteIdentity identity(String siteId) {
        return SiteIdentity.readFrom(dir.resolve("net").resolve(siteId).resolve("identity"));
    }

    byte[] envelope(SiteIdentity from, String queryId, int round, String to, byte[] payload) {
        EnvelopeHeader h = new EnvelopeHeader(descriptor.networkId(), descriptor.keyEpoch(), queryId, round,
                from.siteId(), to, new SecureRandom().nextLong() & Long.MAX_VALUE);
        return SignedEnvelope.sign(h, payload, from).encode();
    }

    /** Every population count of every group and stratum, by a readable key. */
    static Map<String, Object> counts(JsonPath report) {
        Map<String, Object> out = new TreeMap<>();
        List<Map<String, Object>> groups = report.getList("group");
        for (int g = 0; g < groups.size(); g++) {
            List<Map<String, Object>> pops = report.getList("group[" + g + "].population");
            for (int p = 0; p < pops.size(); p++) {
                out.put(g + "." + report.getString("group[" + g + "].population[" + p + "].code.coding[0].code"),
                        report.get("group[" + g + "].population[" + p + "].count"));
            }
            List<Object> stratifiers = report.getList("group[" + g + "].stratifier");
            List<Object> strats = stratifiers == null ? List.of() : stratifiers;
            for (int s = 0; s < strats.size(); s++) {
                List<Map<String, Object>> strata = report.getList("group[" + g + "].stratifier[" + s + "].stratum");
                for (int k = 0; k < strata.size(); k++) {
                    String prefix = "group[" + g + "].stratifier[" + s + "].stratum[" + k + "]";
                    List<Map<String, Object>> sp = report.getList(prefix + ".population");
                    for (int p = 0; p < sp.size(); p++) {
                        Object count = report.get(prefix + ".population[" + p + "].count");
                        if (count != null && !count.equals(0)) {
                            String value = report.getString(prefix + ".value.text");
                            if (value == null) {
                                value = report.getString(prefix + ".value.coding[0].code");
                            }
                            out.put(g + ".s" + s + "." + value + "." + report.getString(prefix + ".population[" + p
                                    + "].code.coding[0].code"), count);
                        }
                    }
                }
            }
        }
        return out;
    }
}
