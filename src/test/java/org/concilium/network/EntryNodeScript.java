package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.demo.DemoMeasures;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.federation.peer.PeerRound;
import org.concilium.federation.query.KeySwitchRequest;
import org.concilium.federation.query.QueryRequest;
import org.concilium.federation.query.RevealRequest;
import org.concilium.layout.DpSensitivity;
import org.concilium.layout.MeasureLayout;
import org.concilium.measure.MeasureModel;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.privacy.NetworkPrivacyPolicy;
import org.hl7.fhir.r4.model.Measure;

/**
 * Plays an entry node step by step through the real peer API, as a real member (its own identity
 * and pinned certificate, mutual TLS): what an honest entry node sends, and the pieces a deviating
 * one needs to send something else.
 */
final class EntryNodeScript {

    static final Parameters PARAMS = NamedParameters.DEFAULT.parameters();

    private final NetworkFixture net;
    private final SiteIdentity identity;
    private final PeerTestClient client;

    EntryNodeScript(NetworkFixture net, String siteId) throws Exception {
        this.net = net;
        this.identity = net.identity(siteId);
        this.client = new PeerTestClient(identity, net.descriptor);
    }

    SiteIdentity identity() {
        return identity;
    }

    /** One signed request from this entry node to {@code site}. */
    HttpResponse<byte[]> send(String site, PeerRound round, String queryId, byte[] payload) throws Exception {
        return post(site, round, envelope(site, round, queryId, payload));
    }

    /** A request envelope signed by this entry node for {@code site}, to send (or replay) with {@link #post}. */
    byte[] envelope(String site, PeerRound round, String queryId, byte[] payload) {
        return net.envelope(identity, queryId, round.number(), site, payload);
    }

    /** Sends an envelope exactly as given. */
    HttpResponse<byte[]> post(String site, PeerRound round, byte[] envelope) throws Exception {
        String url = net.sites.stream().filter(s -> s.id().equals(site)).findFirst().orElseThrow().peerUrl();
        return client.post(url, round.path(), envelope);
    }

    /** Round 20 at every site: their signed commitments, in descriptor order. */
    Map<String, byte[]> commitments(String queryId, byte[] request) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (var s : net.sites) {
            var r = send(s.id(), PeerRound.CONTRIBUTE, queryId, request);
            assertThat(r.statusCode()).as("commitment of " + s.id() + ": " + new String(r.body())).isEqualTo(200);
            out.put(s.id(), r.body());
        }
        return out;
    }

    /** Round 23 at every site with the given commitments: their signed contributions. */
    Map<String, byte[]> reveals(String queryId, List<byte[]> commitments) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (var s : net.sites) {
            var r = reveal(s.id(), queryId, commitments);
            assertThat(r.statusCode()).as("reveal of " + s.id() + ": " + new String(r.body())).isEqualTo(200);
            out.put(s.id(), r.body());
        }
        return out;
    }

    HttpResponse<byte[]> reveal(String site, String queryId, List<byte[]> commitments) throws Exception {
        return send(site, PeerRound.REVEAL, queryId, new RevealRequest(commitments).toBytes());
    }

    /** Round 21 at one site over {@code contributions}, announcing the fingerprint of their sum. */
    HttpResponse<byte[]> keySwitch(String site, String queryId, List<byte[]> contributions) throws Exception {
        return keySwitch(site, queryId, contributions, sum(contributions));
    }

    HttpResponse<byte[]> keySwitch(String site, String queryId, List<byte[]> contributions, Ciphertext announced)
            throws Exception {
        return send(site, PeerRound.KEYSWITCH, queryId, new KeySwitchRequest(targetKey(), contributions,
                announced.fingerprint().toBytes()).toBytes());
    }

    /** A contribution envelope signed by this entry node for {@code queryId} (what a deviating one reveals). */
    byte[] ownContribution(String queryId, Ciphertext ct) {
        return net.envelope(identity, queryId, PeerRound.REVEAL.number(), null, ct.toBytes());
    }

    static Ciphertext ciphertext(byte[] contribution) {
        return Ciphertext.fromBytes(PARAMS, SignedEnvelope.decode(contribution).payload());
    }

    static Ciphertext sum(List<byte[]> contributions) {
        Ciphertext sum = null;
        for (byte[] c : contributions) {
            Ciphertext ct = ciphertext(c);
            sum = sum == null ? ct : sum.add(ct);
        }
        return sum;
    }

    /** The query request of a demo measure, as an honest entry node sends it under the network's policy. */
    byte[] request(String measureId) {
        return request(net.descriptor, measureId);
    }

    static byte[] request(NetworkDescriptor network, String measureId) {
        NetworkPrivacyPolicy policy = network.privacy();
        Measure measure = DemoMeasures.measure(measureId);
        return request(network, measureId, policy.skellamMu(DpSensitivity.of(MeasureLayout.of(MeasureModel.of(measure)))),
                policy.dpEnabled() ? policy.epsilonPerQuery() : 0);
    }

    /** A request naming the network's policy but asking for noise {@code mu} and charging {@code epsilon}. */
    static byte[] request(NetworkDescriptor network, String measureId, double mu, double epsilon) {
        Measure measure = DemoMeasures.measure(measureId);
        return new QueryRequest(measure.getUrl(), MeasureLayout.of(MeasureModel.of(measure)).fingerprint(), "2024-01-01", "2024-12-31",
                mu, epsilon, network.privacy().hash(), "anonymous").toBytes();
    }

    static byte[] targetKey() {
        return KeyGenerator.generateKeyPair(PARAMS).publicKey().toSeededBytes();
    }

    static List<byte[]> values(Map<String, byte[]> bySite) {
        return new ArrayList<>(bySite.values());
    }
}
