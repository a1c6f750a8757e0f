package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.concilium.cli.LoadCommand;
import org.concilium.cli.LocalNetwork;
import org.concilium.cli.NodeProcess;
import org.concilium.demo.DemoMeasures;
import org.concilium.demo.SyntheticPopulation;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.federation.query.KeySwitchRequest;
import org.concilium.federation.query.QueryRequest;
import org.concilium.layout.MeasureLayout;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real nodes on loopback (own processes, embedded databases, mutual TLS) against one
 * stand-alone node holding the union of their data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkIT {

    private static final String PERIOD = "periodStart=2024-01-01&periodEnd=2024-12-31";
    private static Path dir;
    private static List<LocalNetwork.Site> sites;
    private static NodeProcess union;
    private static NetworkDescriptor descriptor;

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("concilium-network-it");
        sites = LocalNetwork.up(dir.resolve("net"), 3, List.of("--min-cell-size", "1"));
        descriptor = NetworkDescriptor.read(dir.resolve("net/descriptor.json"));
        union = NodeProcess.start(NodeProcess.freePort(), dir.resolve("union"), List.of())
                .awaitReady(Duration.ofMinutes(3));
        for (int i = 0; i < sites.size(); i++) {
            Path data = dir.resolve("data-" + i);
            SyntheticPopulation.writeBundles(data, 42, i, 120, 40);
            assertThat(LoadCommand.load(List.of(data), sites.get(i).fhirBase(), 2, false).failures()).isEmpty();
            assertThat(LoadCommand.load(List.of(data), union.baseUrl() + "/fhir", 2, false).failures()).isEmpty();
        }
        StringBuilder tx = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; i < DemoMeasures.IDS.size(); i++) {
            String id = DemoMeasures.IDS.get(i);
            tx.append(i == 0 ? "" : ",").append("{\"resource\":").append(DemoMeasures.json(id))
                    .append(",\"request\":{\"method\":\"PUT\",\"url\":\"Measure/").append(id).append("\"}}");
            RestAssured.given().contentType("application/fhir+json").body(DemoMeasures.json(id))
                    .put(union.baseUrl() + "/fhir/Measure/" + id).then().statusCode(201);
        }
        tx.append("]}");
        RestAssured.given().contentType("application/fhir+json").body(tx.toString())
                .post(sites.get(0).networkBase()).then().statusCode(200);
    }

    @AfterAll
    static void down() {
        if (union != null) {
            union.close();
        }
        if (dir != null) {
            LocalNetwork.down(dir.resolve("net"));
        }
    }

    @Test
    @Order(1)
    void networkReportEqualsTheReportOfOneNodeHoldingAllData() {
        for (String id : DemoMeasures.IDS) {
            JsonPath network = JsonPath.from(RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json")
                    .get(sites.get(1).networkBase() + "/Measure/" + id + "/$evaluate-measure?" + PERIOD)
                    .then().statusCode(200).extract().asString());
            JsonPath local = JsonPath.from(RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json")
                    .get(union.baseUrl() + "/fhir/Measure/" + id + "/$evaluate-measure?reportType=population&" + PERIOD)
                    .then().statusCode(200).extract().asString());
            assertThat(counts(network)).as(id).isEqualTo(counts(local)).isNotEmpty();
            assertThat(network.getList("group.measureScore.value")).as(id + " scores")
                    .isEqualTo(local.getList("group.measureScore.value"));
            assertThat(network.getString("extension.find { it.url.endsWith('contributing-sites') }.valueInteger"))
                    .isEqualTo("3");
        }
    }

    @Test
    @Order(2)
    void subjectLevelQuestionsAreRefused() {
        RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").get(sites.get(0).networkBase() + "/Measure/"
                + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?subject=Patient/x&" + PERIOD).then().statusCode(422);
        RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").get(sites.get(0).networkBase() + "/Measure/"
                + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?reportType=subject-list&" + PERIOD).then()
                .statusCode(422);
    }

    @Test
    @Order(3)
    void aForgedAggregateOfOneSiteIsRefused() throws Exception {
        // play a curious entry node (site-1's own identity) that wants site-2's numbers alone
        SiteIdentity entry = SiteIdentity.readFrom(dir.resolve("net/site-1/identity"));
        PeerTestClient client = new PeerTestClient(entry, descriptor);
        var measure = DemoMeasures.measure(DemoMeasures.DIABETES_COHORT);
        var target = KeyGenerator.generateKeyPair(NamedParameters.DEFAULT.parameters());
        String queryId = "forged-" + System.nanoTime();
        byte[] ask = envelope(entry, queryId, 20, "site-2", new QueryRequest(measure.getUrl(),
                MeasureLayout.of(measure).fingerprint(), "2024-01-01", "2024-12-31", target.publicKey().toBytes(), 0)
                .toBytes());
        var contribution = client.post(sites.get(1).peerUrl(), "contribute", ask);
        assertThat(contribution.statusCode()).isEqualTo(200);
        byte[] ciphertext = SignedEnvelope.decode(contribution.body()).payload();
        byte[] forged = new KeySwitchRequest(List.of(contribution.body()), ciphertext).toBytes();
        var refused = client.post(sites.get(1).peerUrl(), "keyswitch", envelope(entry, queryId, 21, "site-2", forged));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(new String(refused.body())).contains("every site");
    }

    @Test
    @Order(4)
    void replaysAndUnpinnedCertificatesAreRejected() throws Exception {
        SiteIdentity entry = SiteIdentity.readFrom(dir.resolve("net/site-1/identity"));
        PeerTestClient client = new PeerTestClient(entry, descriptor);
        byte[] hashRequest = envelope(entry, "keyhash-replay", 3, "site-3", new byte[0]);
        assertThat(client.post(sites.get(2).peerUrl(), "key-hash", hashRequest).statusCode()).isEqualTo(200);
        var replay = client.post(sites.get(2).peerUrl(), "key-hash", hashRequest);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(new String(replay.body())).containsIgnoringCase("replay");

        SiteIdentity outsider = SiteIdentity.generate("site-1");
        PeerTestClient stranger = new PeerTestClient(outsider, descriptor);
        assertThatThrownBy(() -> stranger.post(sites.get(2).peerUrl(), "key-hash",
                envelope(outsider, "keyhash-outsider", 3, "site-3", new byte[0]))).isInstanceOf(java.io.IOException.class);
    }

    @Test
    @Order(5)
    void aStoppedSiteFailsTheQueryClosedAndARestartedSiteRecovers() {
        ProcessHandle.of(sites.get(2).pid()).ifPresent(p -> {
            p.destroy();
            p.onExit().join();
        });
        String body = RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").get(sites.get(0).networkBase() + "/Measure/"
                + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?" + PERIOD).then().statusCode(503)
                .extract().asString();
        assertThat(body).contains("OperationOutcome").contains("site-3");
        try (NodeProcess restarted = LocalNetwork.restart(dir.resolve("net"), "site-3")) {
            awaitNetworkReady(sites.get(0));
            RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").get(sites.get(0).networkBase() + "/Measure/"
                    + DemoMeasures.DIABETES_COHORT + "/$evaluate-measure?" + PERIOD).then().statusCode(200);
        }
    }

    private static void awaitNetworkReady(LocalNetwork.Site site) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (RestAssured.get(site.fhirBase().replace("/fhir", "/q/health/ready")).statusCode() == 200) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static byte[] envelope(SiteIdentity from, String queryId, int round, String to, byte[] payload) {
        EnvelopeHeader h = new EnvelopeHeader(descriptor.networkId(), descriptor.keyEpoch(), queryId, round,
                from.siteId(), to, new SecureRandom().nextLong() & Long.MAX_VALUE);
        return SignedEnvelope.sign(h, payload, from).encode();
    }

    /** Every population count of every group and stratum, by a readable key. */
    private static Map<String, Object> counts(JsonPath report) {
        Map<String, Object> out = new TreeMap<>();
        List<Map<String, Object>> groups = report.getList("group");
        for (int g = 0; g < groups.size(); g++) {
            List<Map<String, Object>> pops = report.getList("group[" + g + "].population");
            for (int p = 0; p < pops.size(); p++) {
                out.put(g + "." + report.getString("group[" + g + "].population[" + p + "].code.coding[0].code"),
                        report.get("group[" + g + "].population[" + p + "].count"));
            }
            List<Object> strats = new ArrayList<>(report.getList("group[" + g + "].stratifier"));
            for (int s = 0; s < strats.size(); s++) {
                List<Map<String, Object>> strata = report.getList("group[" + g + "].stratifier[" + s + "].stratum");
                for (int k = 0; k < strata.size(); k++) {
                    String prefix = "group[" + g + "].stratifier[" + s + "].stratum[" + k + "]";
                    Object count = report.get(prefix + ".population[0].count");
                    if (count != null && !count.equals(0)) {
                        String value = report.getString(prefix + ".value.text");
                        if (value == null) {
                            value = report.getString(prefix + ".value.coding[0].code");
                        }
                        out.put(g + ".s" + s + "." + value, count);
                    }
                }
            }
        }
        return out;
    }
}
