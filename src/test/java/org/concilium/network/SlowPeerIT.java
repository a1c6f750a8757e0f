package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.concilium.network.NetworkFixture.PERIOD;
import static org.concilium.network.NetworkFixture.fhir;

import io.restassured.response.Response;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.concilium.cli.NodeProcess;
import org.concilium.demo.DemoMeasures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A site that accepts the connection and never answers, then one that answers byte by byte (a
 * {@link PeerRelay} in front of site-3's peer port): every query entered at site-1 fails closed
 * within the site timeout with an OperationOutcome naming site-3, no site releases a key-switch
 * share for any of them, the entry node closes every connection it gave up on and keeps its thread
 * count (checked over 50 such queries), and each time site-3 answers again the next query gives the
 * totals it gave before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowPeerIT {

    /**
     * The entry node's site timeout (serve --site-timeout): short, so 50 failing queries take two
     * timeouts, yet long enough for the two healthy sites to evaluate 25 queries at once on a shared
     * machine (at 8 s and a load average of 25 they did not).
     */
    private static final Duration SITE_TIMEOUT = Duration.ofSeconds(20);
    /** Slack for a loaded machine on top of the timeout: the answer comes after one site timeout, not several. */
    private static final Duration SLACK = Duration.ofSeconds(15);
    private static final int SILENT_QUERIES = 50;
    private static final int AT_ONCE = 25;
    private static final String MEASURE = DemoMeasures.HYPERTENSION_CONTROL;
    private static final String ENTRY = "site-1";
    private static final String VICTIM = "site-3";

    private static NetworkFixture net;
    private static PeerRelay relay;
    private static Map<String, Object> baseline;
    private static Map<String, Long> sharesBefore;

    @BeforeAll
    static void up() throws Exception {
        net = NetworkFixture.start(3, 20, List.of("--min-cell-size", "1", "--site-timeout", SITE_TIMEOUT.toString()),
                false);
        var victim = net.sites.stream().filter(s -> s.id().equals(VICTIM)).findFirst().orElseThrow();
        int peerPort = URI.create(victim.peerUrl()).getPort();
        int behind = NodeProcess.freePort();
        net.stop(VICTIM);
        relay = new PeerRelay(peerPort, behind);
        net.restartBehindRelay(VICTIM, behind);
        // the first queries compile the measure at every site: on a loaded machine one may time out
        Response first = null;
        for (int attempt = 0; attempt < 3 && (first == null || first.statusCode() != 200); attempt++) {
            first = query();
        }
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        baseline = NetworkFixture.counts(query().then().statusCode(200).extract().jsonPath());
        assertThat(baseline).isNotEmpty();
        sharesBefore = shares();
    }

    @AfterAll
    static void down() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    @Order(1)
    void fiftyQueriesToASilentSiteFailClosedInTimeAndLeakNothing() throws Exception {
        long threadsBefore = threads(net.pid(ENTRY));
        long fdsBefore = fds(net.pid(ENTRY));
        relay.mode(PeerRelay.Mode.SILENT);
        // two waves: the first grows the entry node's pools of healthy connections (to site-2, and to
        // itself) to AT_ONCE; a leak of one thread or connection per failed query shows in the second
        List<Long> millis = new ArrayList<>(failClosed(AT_ONCE));
        connectionsToTheVictimClosed();
        long threadsWave1 = threads(net.pid(ENTRY));
        long fdsWave1 = fds(net.pid(ENTRY));
        millis.addAll(failClosed(SILENT_QUERIES - AT_ONCE));
        connectionsToTheVictimClosed();
        assertThat(relay.accepted()).as("the silent site was asked").isGreaterThanOrEqualTo(SILENT_QUERIES);
        long threadsAfter = NetworkFixture.poll(Duration.ofSeconds(60), "the entry node's threads to settle", () -> {
            long t = threads(net.pid(ENTRY));
            return t <= Math.max(threadsBefore, threadsWave1) + 10 ? t : null;
        });
        long fdsAfter = NetworkFixture.poll(Duration.ofSeconds(60), "the entry node's descriptors to settle", () -> {
            long f = fds(net.pid(ENTRY));
            return f <= fdsWave1 + 10 ? f : null;
        });
        assertThat(shares()).as("no key-switch share released for a failed query").isEqualTo(sharesBefore);
        assertRecovers(1);
        System.out.printf(Locale.ROOT, "SILENT-PEER {\"queries\":%d,\"atOnce\":%d,\"siteTimeoutMs\":%d,\"failedClosedMs\":%s,"
                + "\"entryThreads\":[%d,%d,%d],\"entryFds\":[%d,%d,%d]}%n", SILENT_QUERIES, AT_ONCE,
                SITE_TIMEOUT.toMillis(), stats(millis), threadsBefore, threadsWave1, threadsAfter, fdsBefore, fdsWave1,
                fdsAfter);
    }

    /** Every connection the entry node opened to the misbehaving site was closed when it gave up. */
    private static void connectionsToTheVictimClosed() {
        NetworkFixture.poll(Duration.ofSeconds(30), "connections to " + VICTIM + " closed",
                () -> relay.open() == 0 ? true : null);
    }

    @Test
    @Order(2)
    void aSiteAnsweringByteByByteFailsTheQueryClosedInTime() throws Exception {
        relay.mode(PeerRelay.Mode.TRICKLE);
        List<Long> millis = failClosed(5);
        connectionsToTheVictimClosed();
        assertThat(shares()).as("no key-switch share released for a failed query")
                .isEqualTo(plus(sharesBefore, 1));
        assertRecovers(2);
        System.out.printf(Locale.ROOT, "TRICKLING-PEER {\"queries\":5,\"failedClosedMs\":%s}%n", stats(millis));
    }

    /**
     * Once the site answers again the next query gives the totals it gave before, and it alone
     * released one share at every site ({@code succeeded} queries since the baseline in all).
     */
    private static void assertRecovers(int succeeded) throws Exception {
        relay.mode(PeerRelay.Mode.PASS);
        Response r = query();
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(NetworkFixture.counts(r.jsonPath())).isEqualTo(baseline);
        assertThat(shares()).isEqualTo(plus(sharesBefore, succeeded));
    }

    private static Map<String, Long> plus(Map<String, Long> shares, long n) {
        Map<String, Long> out = new java.util.TreeMap<>();
        shares.forEach((site, k) -> out.put(site, k + n));
        return out;
    }

    /** {@code n} queries, {@link #AT_ONCE} at a time: each a 504 OperationOutcome naming the victim, in time. */
    private static List<Long> failClosed(int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(AT_ONCE);
        List<Future<long[]>> runs = new ArrayList<>();
        List<Response> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            for (int i = 0; i < n; i++) {
                runs.add(pool.submit(() -> {
                    long t = System.nanoTime();
                    Response r = query();
                    answers.add(r);
                    return new long[] {r.statusCode(), (System.nanoTime() - t) / 1_000_000};
                }));
            }
            List<Long> millis = new ArrayList<>();
            for (Future<long[]> f : runs) {
                long[] r = f.get();
                millis.add(r[1]);
            }
            for (Response r : answers) {
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(504);
                assertThat(r.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
                assertThat(r.asString()).contains(VICTIM).contains("did not answer within");
            }
            assertThat(millis).allMatch(ms -> ms < SITE_TIMEOUT.plus(SLACK).toMillis(),
                    "failed within the site timeout plus " + SLACK);
            return millis;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Response query() {
        return fhir().get(net.sites.get(0).networkBase() + "/Measure/" + MEASURE + "/$evaluate-measure?" + PERIOD);
    }

    /** Key-switch shares each site has released (rows in its own PostgreSQL, whose address is in its log). */
    private static Map<String, Long> shares() throws Exception {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (var s : net.sites) {
            Matcher m = Pattern.compile("embedded PostgreSQL for \\S+ at postgresql://(\\S+)").matcher(net.log(s.id()));
            String address = null;
            while (m.find()) {
                address = m.group(1);
            }
            try (var db = DriverManager.getConnection("jdbc:postgresql://" + address, "postgres", "postgres");
                    var q = db.createStatement(); var rows = q.executeQuery("SELECT count(*) FROM keyswitch_share")) {
                rows.next();
                out.put(s.id(), rows.getLong(1));
            }
        }
        return out;
    }

    /** Live platform threads of a process (virtual threads are not counted by the kernel). */
    private static long threads(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("Threads:")).mapToLong(l -> Long.parseLong(l.substring(8).trim()))
                    .findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Open file descriptors (sockets included) of a process. */
    private static long fds(long pid) {
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String stats(List<Long> millis) {
        List<Long> s = millis.stream().sorted().toList();
        return "{\"p50\":" + s.get(s.size() / 2) + ",\"p95\":" + s.get((int) Math.ceil(s.size() * 0.95) - 1)
                + ",\"max\":" + s.get(s.size() - 1) + "}";
    }
}
