package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.concilium.network.NetworkFixture.PERIOD;
import static org.concilium.network.NetworkFixture.fhir;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.concilium.demo.DemoMeasures;
import org.concilium.federation.peer.PeerRound;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.federation.query.KeySwitchRequest;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A three-site network: equality with the union, the protocol's refusals, failure and recovery.
 * The tests share the started network but not their state: each uses its own query ids and none
 * stops, restarts or reconfigures a site (that is CrashRecoveryIT's, on its own network), so they
 * run in a random order (JUnit logs the seed; {@code -Djunit.jupiter.execution.order.random.seed=N}
 * repeats one). Every wait polls a condition; none sleeps a fixed time.
 */
@TestMethodOrder(MethodOrderer.Random.class)
class NetworkIT {

    private static final Parameters PARAMS = NamedParameters.DEFAULT.parameters();

    private static NetworkFixture net;

    @BeforeAll
    static void up() throws Exception {
        net = NetworkFixture.start(3, 120);
    }

    @AfterAll
    static void down() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void networkReportEqualsTheReportOfOneNodeHoldingAllData() {
        for (String id : DemoMeasures.IDS) {
            net.assertNetworkEqualsUnion(id, 1);
        }
        fhir().get(net.sites.get(2).networkBase() + "/Measure?url=" + DemoMeasures.URL_PREFIX + DemoMeasures.HBA1C_AVERAGE)
                .then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(1));
        fhir().get(net.sites.get(1).networkBase() + "/MeasureReport?measure=" + DemoMeasures.URL_PREFIX
                + DemoMeasures.DIABETES_COHORT).then().statusCode(200).body("total", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void subjectLevelQuestionsAreRefused() {
        String op = net.sites.get(0).networkBase() + "/Measure/" + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?";
        fhir().get(op + "subject=Patient/x&" + PERIOD).then().statusCode(422);
        fhir().get(op + "reportType=subject-list&" + PERIOD).then().statusCode(422);
        fhir().get(op + "periodStart=2024-01-01").then().statusCode(400);
        fhir().get(net.sites.get(0).networkBase() + "/Measure/no-such/$evaluate-measure?" + PERIOD).then().statusCode(404);
    }

    @Test
    void asyncQueriesAnswer202AndThenTheReport() {
        Response accepted = fhir().header("Prefer", "respond-async").get(net.sites.get(2).networkBase() + "/Measure/"
                + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?" + PERIOD);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String poll = accepted.header("Content-Location");
        assertThat(poll).contains("/network/fhir/_async/");
        Response done = NetworkFixture.poll(Duration.ofMinutes(1), "the async query to finish", () -> {
            Response r = fhir().get(poll);
            if (r.statusCode() == 202) {
                assertThat(r.header("X-Progress")).isNotBlank();
                return null;
            }
            return r;
        });
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.jsonPath().getString("resourceType")).isEqualTo("MeasureReport");
    }

    @Test
    void aForgedAggregateOfOneSiteIsRefused() throws Exception {
        // play a curious entry node (site-1's own identity) that wants site-2's numbers alone
        EntryNodeScript entry = new EntryNodeScript(net, "site-1");
        String queryId = "forged-" + System.nanoTime();
        var commitments = entry.commitments(queryId, entry.request(DemoMeasures.DIABETES_COHORT));
        var contributions = entry.reveals(queryId, EntryNodeScript.values(commitments));
        byte[] site2 = contributions.get("site-2");
        var refused = entry.keySwitch("site-2", queryId, List.of(site2));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(new String(refused.body())).contains("INCOMPLETE_AGGREGATE");
        // the site that caught it ends the query: not even the honest sum gets a share now
        var honest = entry.keySwitch("site-2", queryId, EntryNodeScript.values(contributions));
        assertThat(honest.statusCode()).isEqualTo(409);
        assertThat(new String(honest.body())).contains("QUERY_ABORTED");
        var twice = entry.keySwitch("site-3", queryId, List.of(site2, site2, contributions.get("site-3")));
        assertThat(twice.statusCode()).isEqualTo(422);
        assertThat(new String(twice.body())).contains("INCOMPLETE_AGGREGATE");
    }

    @Test
    void aSiteReleasesOneSharePerQueryEverRetriesGetTheSameBytes() throws Exception {
        EntryNodeScript entry = new EntryNodeScript(net, "site-1");
        String queryId = "retry-" + System.nanoTime();
        var commitments = entry.commitments(queryId, entry.request(DemoMeasures.DIABETES_COHORT));
        var again = entry.commitments(queryId, entry.request(DemoMeasures.DIABETES_COHORT));
        assertThat(again.get("site-2")).as("a retried commitment is the stored one").isEqualTo(commitments.get("site-2"));
        List<byte[]> contributions = EntryNodeScript.values(entry.reveals(queryId, EntryNodeScript.values(commitments)));
        Ciphertext sum = EntryNodeScript.sum(contributions);
        byte[] ks = new KeySwitchRequest(targetKey(), contributions, sum.fingerprint().toBytes()).toBytes();
        var first = entry.send("site-2", PeerRound.KEYSWITCH, queryId, ks);
        var retry = entry.send("site-2", PeerRound.KEYSWITCH, queryId, ks);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        var refused = entry.keySwitch("site-2", queryId, contributions, sum.add(sum));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(new String(refused.body())).contains("SHARE_ALREADY_RELEASED");
        var mismatch = entry.keySwitch("site-3", queryId, contributions, sum.add(sum));
        assertThat(mismatch.statusCode()).isEqualTo(422);
        assertThat(new String(mismatch.body())).contains("AGGREGATE_MISMATCH");
    }

    @Test
    void replaysAndUnpinnedCertificatesAreRejected() throws Exception {
        SiteIdentity entry = net.identity("site-1");
        PeerTestClient client = new PeerTestClient(entry, net.descriptor);
        byte[] hashRequest = net.envelope(entry, "keyhash-replay", 3, "site-3", new byte[0]);
        assertThat(client.post(net.sites.get(2).peerUrl(), "key-hash", hashRequest).statusCode()).isEqualTo(200);
        var replay = client.post(net.sites.get(2).peerUrl(), "key-hash", hashRequest);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(new String(replay.body())).startsWith("REPLAY (correlation ");
        var garbage = client.post(net.sites.get(2).peerUrl(), "contribute", "not an envelope".getBytes());
        assertThat(garbage.statusCode()).isEqualTo(400);

        SiteIdentity outsider = SiteIdentity.generate("site-1");
        PeerTestClient stranger = new PeerTestClient(outsider, net.descriptor);
        assertThatThrownBy(() -> stranger.post(net.sites.get(2).peerUrl(), "key-hash",
                net.envelope(outsider, "keyhash-outsider", 3, "site-3", new byte[0])))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aPackageWithACqlSyntaxErrorIsRefusedByEverySiteAndActivatedNowhere() {
        CqlPackage broken = CqlPackage.syntaxError("PublishSyntaxError");
        Response refused = fhir().contentType("application/fhir+json").body(broken.publication())
                .post(net.sites.get(0).networkBase());
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(422);
        List<String> issues = refused.jsonPath().getList("issue.diagnostics");
        for (String site : List.of("site-1", "site-2", "site-3")) {
            assertThat(issues).as("an issue naming " + site).anySatisfy(d -> assertThat(d)
                    .contains("site " + site).contains("PublishSyntaxError line 8:").contains("does not compile"));
        }
        assertNotActivated(broken);
    }

    @Test
    void aPackageMissingAValueSetAtOneSiteIsRefusedNamingThatSite() {
        CqlPackage missing = CqlPackage.withoutValueSet("PublishMissingValueSet");
        // site-1 and site-2 hold the value set already; site-3 does not
        for (int i = 0; i < 2; i++) {
            fhir().contentType("application/fhir+json").body(org.concilium.store.FhirJson.encode(missing.valueSet()))
                    .put(net.sites.get(i).fhirBase() + "/ValueSet/" + missing.id()).then().statusCode(201);
        }
        Response refused = fhir().contentType("application/fhir+json").body(missing.publication())
                .post(net.sites.get(1).networkBase());
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(422);
        List<String> issues = refused.jsonPath().getList("issue.diagnostics");
        assertThat(issues).isNotEmpty().allSatisfy(d -> assertThat(d).contains("site site-3")
                .contains("ValueSet " + missing.valueSetUrl() + " is not available"));
        assertNotActivated(missing);
    }

    @Test
    void aGoodCqlPackageIsActivatedEverywhereAndTheNextQueryCountsRight() {
        CqlPackage good = CqlPackage.good("PublishGood");
        fhir().contentType("application/fhir+json").body(good.publication()).post(net.sites.get(2).networkBase())
                .then().statusCode(200);
        for (var r : good.resources()) {
            fhir().contentType("application/fhir+json").body(org.concilium.store.FhirJson.encode(r))
                    .put(net.union.baseUrl() + "/fhir/" + r.fhirType() + "/" + r.getIdElement().getIdPart())
                    .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        }
        net.assertNetworkEqualsUnion(good.id(), 0);
        Response report = fhir().get(net.sites.get(1).networkBase() + "/Measure/" + good.id() + "/$evaluate-measure?"
                + PERIOD);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.jsonPath().getInt("group[0].population.find { it.code.coding[0].code == 'numerator' }.count"))
                .as("patients with diabetes").isPositive();
    }

    /**
     * Opt-in ({@code -Dconcilium.publish-bench=true}): the first network queries after publishing an eCQM,
     * warm and cold alternating (PublicationBench); prints JSON, asserts nothing about time.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "concilium.publish-bench", matches = "true")
    void publicationBench() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(PublicationBench.EXM124),
                "../shared/data is not here");
        assertThat(PublicationBench.run(net, Integer.getInteger("concilium.publish-bench.rounds", 3), 3))
                .contains("\"warm\"");
    }

    /** No site stores any part of a refused package, and a query of its Measure finds nothing. */
    private static void assertNotActivated(CqlPackage p) {
        for (var site : net.sites) {
            fhir().get(site.networkBase() + "/Measure?url=" + p.measureUrl()).then().statusCode(200)
                    .body("total", org.hamcrest.Matchers.equalTo(0));
            fhir().get(site.fhirBase() + "/Library/" + p.id()).then().statusCode(404);
        }
        fhir().get(net.sites.get(0).networkBase() + "/Measure/" + p.id() + "/$evaluate-measure?" + PERIOD)
                .then().statusCode(404);
    }

    private static byte[] targetKey() {
        return KeyGenerator.generateKeyPair(PARAMS).publicKey().toSeededBytes();
    }
}
