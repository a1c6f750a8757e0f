package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.concilium.network.NetworkFixture.PERIOD;
import static org.concilium.network.NetworkFixture.fhir;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.concilium.cli.NodeProcess;
import org.concilium.demo.DemoMeasures;
import org.concilium.federation.peer.PeerRound;
import org.concilium.federation.query.CrashPoint;
import org.concilium.federation.query.KeySwitchRequest;
import org.concilium.mhe.rlwe.Ciphertext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A node killed at each protocol step (a real halt, no shutdown hooks, via
 * {@code --halt-at STEP}) and restarted: the query ends ABORTED and never yields a result, a
 * released share is never generated again, and the next query gives the same totals as before.
 * <p>
 * One victim, site-2, crashes four times; queries are entered at site-1 unless the entry node is
 * the victim. A node armed with an {@code entry:*} step takes part normally in queries entered
 * elsewhere, so each restart after a crash arms the next step and the network still answers in
 * between (one restart per step instead of two). Only after {@code entry:switched} is the next
 * query the {@code contribute:evaluated} crash; the query after that checks both recoveries. Last, a cleanly
 * stopped site fails queries closed and, restarted with an allow-list, takes part again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoveryIT {

    private static final String MEASURE = DemoMeasures.HYPERTENSION_CONTROL;
    private static final String VICTIM = "site-2";
    private static final int VICTIM_ENTRY = 1;
    private static final Duration DEATH = Duration.ofSeconds(60);
    private static final Pattern HALTED = Pattern.compile("halting at (\\S+) of query (\\S+)");

    private static NetworkFixture net;
    private static Map<String, Object> baseline;
    private static NodeProcess victim;

    @BeforeAll
    static void up() throws Exception {
        net = NetworkFixture.start(3, 60, List.of("--min-cell-size", "1"), false);
        baseline = NetworkFixture.counts(syncQuery(0).then().statusCode(200).extract().jsonPath());
        assertThat(baseline).isNotEmpty();
        net.stop(VICTIM);
        victim = net.restart(VICTIM, "--halt-at", CrashPoint.KEYSWITCH_PERSISTED);
    }

    @AfterAll
    static void down() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    @Order(1)
    void aSiteKilledAfterPersistingItsShareResendsThatShareAndNothingElse() throws Exception {
        assertFailsClosedNaming(syncQuery(0), VICTIM);
        String queryId = haltedQuery(CrashPoint.KEYSWITCH_PERSISTED);
        victim = net.restart(VICTIM, "--halt-at", CrashPoint.ENTRY_CONTRIBUTED);

        // replay the reveal and key-switch rounds as the entry node would: same commitments, same aggregate
        EntryNodeScript entry = new EntryNodeScript(net, "site-1");
        var commitments = entry.commitments(queryId, queryRequest());
        List<byte[]> contributions = EntryNodeScript.values(entry.reveals(queryId, EntryNodeScript.values(commitments)));
        var first = entry.keySwitch(VICTIM, queryId, contributions);
        var second = entry.keySwitch(VICTIM, queryId, contributions);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        // what was persisted before the crash is only visible in the site's database
        assertThat(first.body()).isEqualTo(persistedShare(queryId));
        Ciphertext doubled = EntryNodeScript.sum(contributions).add(EntryNodeScript.sum(contributions));
        assertThat(entry.keySwitch(VICTIM, queryId, contributions, doubled).statusCode()).isEqualTo(409);

        assertNoReport(0, queryId);
        assertNextQueryMatchesBaseline(0);
    }

    @Test
    @Order(2)
    void anEntryNodeKilledBeforeTheKeySwitchAbortsItsQuery() throws Exception {
        entryKilledAt(CrashPoint.ENTRY_CONTRIBUTED, CrashPoint.ENTRY_SWITCHED);
        assertNextQueryMatchesBaseline(0);
    }

    @Test
    @Order(3)
    void anEntryNodeKilledBeforeDecryptingAbortsItsQuery() throws Exception {
        entryKilledAt(CrashPoint.ENTRY_SWITCHED, CrashPoint.CONTRIBUTE_EVALUATED);
    }

    /** An async query entered at the victim, which halts at {@code step}; restarted armed for {@code next}. */
    private static void entryKilledAt(String step, String next) throws Exception {
        String status = asyncQuery(VICTIM_ENTRY);
        assertThat(victim.awaitExit(DEATH)).isEqualTo(137);
        String queryId = haltedQuery(step);
        victim = net.restart(VICTIM, "--halt-at", next);

        assertAbortedAt(status);
        assertNoReport(VICTIM_ENTRY, queryId);
    }

    @Test
    @Order(4)
    void aSiteKilledBeforeSavingItsContributionAbortsTheQuery() throws Exception {
        assertFailsClosedNaming(syncQuery(0), VICTIM);
        String queryId = haltedQuery(CrashPoint.CONTRIBUTE_EVALUATED);
        victim = net.restart(VICTIM);

        EntryNodeScript entry = new EntryNodeScript(net, "site-1");
        var retried = entry.send(VICTIM, PeerRound.CONTRIBUTE, queryId, queryRequest());
        assertThat(retried.statusCode()).isEqualTo(409);
        assertThat(new String(retried.body())).contains("ABORTED");
        // the sites that did commit were told to abort: none reveals or releases a share for it
        List<String> others = List.of("site-1", "site-3");
        List<byte[]> commitments = new ArrayList<>();
        for (String site : others) {
            commitments.add(entry.send(site, PeerRound.CONTRIBUTE, queryId, queryRequest()).body());
        }
        for (String site : others) {
            var unrevealed = entry.reveal(site, queryId, commitments);
            assertThat(unrevealed.statusCode()).as(site).isEqualTo(409);
            assertThat(new String(unrevealed.body())).contains("ABORTED");
            byte[] ks = new KeySwitchRequest(EntryNodeScript.targetKey(), commitments, new byte[32]).toBytes();
            var refused = entry.send(site, PeerRound.KEYSWITCH, queryId, ks);
            assertThat(refused.statusCode()).as(site).isEqualTo(409);
            assertThat(new String(refused.body())).contains("ABORTED");
        }

        assertNoReport(0, queryId);
        assertNextQueryMatchesBaseline(0);
        assertNextQueryMatchesBaseline(VICTIM_ENTRY);
    }

    /** Last: it leaves site-3 up with an allow-list (moved here from NetworkIT, whose tests now run in any order). */
    @Test
    @Order(5)
    void aStoppedSiteFailsTheQueryClosedAndARestartedSiteRecovers() {
        net.stop("site-3");
        String op = net.sites.get(0).networkBase() + "/Measure/" + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?"
                + PERIOD;
        String body = fhir().get(op).then().statusCode(503).extract().asString();
        assertThat(body).contains("OperationOutcome").contains("site-3");
        // site-3 comes back with a policy that allow-lists only the diabetes cohort
        net.restart("site-3", "--allowed-measures", DemoMeasures.URL_PREFIX + DemoMeasures.DIABETES_COHORT);
        net.sites.forEach(CrashRecoveryIT::awaitReady);
        fhir().get(op).then().statusCode(200);
        String refused = fhir().get(net.sites.get(0).networkBase() + "/Measure/" + DemoMeasures.HYPERTENSION_CONTROL
                + "/$evaluate-measure?" + PERIOD).then().statusCode(422).extract().asString();
        assertThat(refused).contains("site-3").contains("MEASURE_NOT_ALLOWED");
    }

    private static void awaitReady(org.concilium.cli.LocalNetwork.Site site) {
        NetworkFixture.poll(Duration.ofMinutes(2), site.id() + " ready", () ->
                fhir().get(site.fhirBase().replace("/fhir", "/q/health/ready")).statusCode() == 200 ? true : null);
    }

    private static Response syncQuery(int entry) {
        return fhir().get(net.sites.get(entry).networkBase() + "/Measure/" + MEASURE + "/$evaluate-measure?" + PERIOD);
    }

    /** Starts an async query at {@code entry}; returns its status URL. */
    private static String asyncQuery(int entry) {
        Response accepted = fhir().header("Prefer", "respond-async").get(net.sites.get(entry).networkBase()
                + "/Measure/" + MEASURE + "/$evaluate-measure?" + PERIOD);
        assertThat(accepted.statusCode()).isEqualTo(202);
        return accepted.header("Content-Location");
    }

    private static void assertFailsClosedNaming(Response r, String site) {
        assertThat(r.statusCode()).isIn(503, 504);
        assertThat(r.asString()).contains("OperationOutcome").contains(site);
        assertThat(victim.awaitExit(DEATH)).as("halted, not stopped").isEqualTo(137);
    }

    /** After the restart the status URL reports the query ABORTED, never a report. */
    private static void assertAbortedAt(String status) {
        Response r = fhir().get(status);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.asString()).contains("OperationOutcome").contains("ABORTED").doesNotContain("MeasureReport");
    }

    /** No report under the query's id, read or searched. */
    private static void assertNoReport(int entry, String queryId) {
        String base = net.sites.get(entry).networkBase();
        fhir().get(base + "/MeasureReport/" + queryId).then().statusCode(404);
        String reports = fhir().get(base + "/MeasureReport?measure=" + DemoMeasures.URL_PREFIX + MEASURE).then()
                .statusCode(200).extract().asString();
        assertThat(reports).contains("searchset").doesNotContain(queryId);
    }

    private static void assertNextQueryMatchesBaseline(int entry) {
        JsonPath report = syncQuery(entry).then().statusCode(200).extract().jsonPath();
        assertThat(NetworkFixture.counts(report)).isEqualTo(baseline);
    }

    /** The query the victim was working on, as its crash point logged it before dying. */
    private static String haltedQuery(String step) throws Exception {
        Matcher m = HALTED.matcher(net.log(VICTIM));
        String queryId = null;
        while (m.find()) {
            if (m.group(1).equals(step)) {
                queryId = m.group(2);
            }
        }
        assertThat(queryId).as(VICTIM + " halted at " + step).isNotNull();
        return queryId;
    }

    /** Any well-formed request: a retry of a known query is answered from what the site stored. */
    private static byte[] queryRequest() {
        return EntryNodeScript.request(net.descriptor, MEASURE);
    }

    /** The share row as the victim's own PostgreSQL holds it (its address is in the node log). */
    private static byte[] persistedShare(String queryId) throws Exception {
        Matcher m = Pattern.compile("embedded PostgreSQL for \\S+ at postgresql://(\\S+)").matcher(net.log(VICTIM));
        String address = null;
        while (m.find()) {
            address = m.group(1);
        }
        try (var db = DriverManager.getConnection("jdbc:postgresql://" + address, "postgres", "postgres");
                var q = db.prepareStatement("SELECT envelope FROM keyswitch_share WHERE query_id = ?")) {
            q.setString(1, queryId);
            try (var rows = q.executeQuery()) {
                assertThat(rows.next()).as("share of " + queryId + " persisted at " + VICTIM).isTrue();
                return rows.getBytes(1);
            }
        }
    }
}
