package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.concilium.network.NetworkFixture.PERIOD;
import static org.concilium.network.NetworkFixture.fhir;

import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.concilium.cli.LocalNetwork;
import org.concilium.demo.DemoMeasures;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.federation.peer.PeerRound;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key rotation: the same network restarted with its descriptor at the next key epoch runs a new
 * key ceremony (a different collective key on every site), answers with the same totals, and
 * refuses peer messages bound to the old epoch.
 */
class EpochRotationIT {

    private static final String MEASURE = DemoMeasures.HYPERTENSION_CONTROL;

    private static NetworkFixture net;

    @BeforeAll
    static void up() throws Exception {
        net = NetworkFixture.start(3, 60, List.of("--min-cell-size", "1"), false);
    }

    @AfterAll
    static void down() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aNewEpochRotatesTheCollectiveKeyAndRefusesTheOldOne() throws Exception {
        long oldEpoch = net.descriptor.keyEpoch();
        String oldKey = agreedKey(oldEpoch);
        Map<String, Object> before = counts();

        net.sites.forEach(s -> net.stop(s.id()));
        Path descriptor = net.dir.resolve("net/descriptor.json");
        NetworkDescriptor.read(descriptor).withEpoch(oldEpoch + 1).write(descriptor);
        // every node waits for the others before it is ready, so they must start together
        List<CompletableFuture<?>> starts = new ArrayList<>();
        net.sites.forEach(s -> starts.add(CompletableFuture.runAsync(() -> net.restart(s.id()))));
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();

        assertThat(agreedKey(oldEpoch + 1)).isNotEqualTo(oldKey);
        assertThat(counts()).isEqualTo(before);
        for (LocalNetwork.Site s : net.sites) {
            assertThat(net.log(s.id())).as("the old epoch's secret share is erased at " + s.id())
                    .contains("erased the key shares of 1 earlier epoch(s)");
        }

        SiteIdentity site1 = net.identity("site-1");
        PeerTestClient client = new PeerTestClient(site1, net.descriptor);
        LocalNetwork.Site site3 = net.sites.get(2);
        var stale = client.post(site3.peerUrl(), "key-hash", keyHashRequest(site1, oldEpoch));
        assertThat(stale.statusCode()).isEqualTo(400);
        assertThat(new String(stale.body())).startsWith("WRONG_EPOCH");
        // the same message bound to the new epoch is answered, so the refusal is the epoch's
        assertThat(client.post(site3.peerUrl(), "key-hash", keyHashRequest(site1, oldEpoch + 1)).statusCode())
                .isEqualTo(200);
    }

    /** The collective key fingerprint every site reports at {@code epoch}; they must all agree. */
    private static String agreedKey(long epoch) {
        var keys = new HashSet<String>();
        for (LocalNetwork.Site s : net.sites) {
            JsonPath ready = fhir().get(s.fhirBase().replace("/fhir", "/q/health/ready")).then().statusCode(200)
                    .extract().jsonPath();
            String check = "checks.find { it.name == 'Concilium network' }.data.";
            assertThat(ready.getLong(check + "keyEpoch")).as(s.id()).isEqualTo(epoch);
            keys.add(ready.getString(check + "collectiveKey"));
        }
        assertThat(keys).hasSize(1).doesNotContainNull();
        return keys.iterator().next();
    }

    private static Map<String, Object> counts() {
        JsonPath report = fhir().get(net.sites.get(0).networkBase() + "/Measure/" + MEASURE + "/$evaluate-measure?"
                + PERIOD).then().statusCode(200).extract().jsonPath();
        Map<String, Object> counts = NetworkFixture.counts(report);
        assertThat(counts).isNotEmpty();
        return counts;
    }

    private static byte[] keyHashRequest(SiteIdentity from, long epoch) {
        EnvelopeHeader h = new EnvelopeHeader(net.descriptor.networkId(), epoch, "keyhash-" + System.nanoTime(),
                PeerRound.KEY_HASH.number(), from.siteId(), "site-3", new SecureRandom().nextLong() & Long.MAX_VALUE);
        return SignedEnvelope.sign(h, new byte[0], from).encode();
    }
}
