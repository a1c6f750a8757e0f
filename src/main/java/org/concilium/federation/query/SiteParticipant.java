package org.concilium.federation.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.concilium.federation.NetworkConfig;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.NetworkStore;
import org.concilium.federation.QueryState;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.identity.PeerProtocolException;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.keys.CollectiveKeys;
import org.concilium.federation.peer.PeerClient;
import org.concilium.federation.peer.PeerRefusal;
import org.concilium.federation.peer.PeerRound;
import org.concilium.layout.MeasureLayout;
import org.concilium.mhe.bfv.BatchEncoder;
import org.concilium.mhe.bfv.Encryptor;
import org.concilium.mhe.multiparty.PcksShare;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.MalformedEncodingException;
import org.concilium.mhe.rlwe.PublicKey;
import org.concilium.privacy.SkellamNoise;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.jboss.logging.Logger;

/**
 * One site's side of a network query: evaluate locally, encrypt under the collective key and sign
 * (round 1); then, only for an aggregate that is exactly the sum of every site's signed
 * contribution, release this site's one key-switch share, persisted before it is sent (round 2).
 */
@ApplicationScoped
public class SiteParticipant {

    private static final Logger LOG = Logger.getLogger(SiteParticipant.class);
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Inject
    NetworkContext context;
    @Inject
    NetworkConfig config;
    @Inject
    NetworkStore store;
    @Inject
    CollectiveKeys keys;
    @Inject
    LocalEvaluation evaluation;
    @Inject
    PeerClient peers;
    @Inject
    CrashPoint crash;

    private final SecureRandom random = new SecureRandom();

    /** Round 1. Returns this site's signed contribution (the stored one on a retry). */
    public synchronized byte[] contribute(SignedEnvelope request) {
        NetworkContext.Membership m = context.require();
        String queryId = request.header().queryId();
        QueryRequest q = QueryRequest.fromBytes(request.payload());
        String entry = request.header().sender();
        if (!store.createQuery(queryId, "PARTICIPANT", entry, q.measureUrl(), request.encode())) {
            var known = store.query(queryId).orElseThrow();
            if (!known.entrySite().equals(entry)) {
                throw new PeerRefusal(409, "query " + queryId + " belongs to another entry node");
            }
            return store.contribution(queryId).orElseThrow(() -> new PeerRefusal(409,
                    "query " + queryId + " is " + known.state() + " here; start a new query"));
        }
        try {
            byte[] envelope = evaluateAndEncrypt(m, queryId, entry, q);
            crash.reach(CrashPoint.CONTRIBUTE_EVALUATED, queryId);
            store.saveContribution(queryId, envelope);
            return envelope;
        } catch (RuntimeException e) {
            store.setState(queryId, QueryState.ABORTED, e.getMessage());
            throw e;
        }
    }

    private byte[] evaluateAndEncrypt(NetworkContext.Membership m, String queryId, String entry, QueryRequest q) {
        if (config.allowedMeasures().isPresent() && !config.allowedMeasures().get().contains(q.measureUrl())) {
            throw new PeerRefusal(422, "site " + m.siteId() + " does not evaluate " + q.measureUrl()
                    + " (not on its allow-list)");
        }
        Measure measure = evaluation.measure(q.measureUrl());
        MeasureLayout layout = MeasureLayout.of(measure);
        if (!layout.fingerprint().equals(q.layoutFingerprint())) {
            throw new PeerRefusal(422, "site " + m.siteId() + " holds a different version of " + q.measureUrl()
                    + " (layout " + layout.fingerprint() + ")");
        }
        long t0 = System.nanoTime();
        long cpu0 = CPU.getCurrentThreadCpuTime();
        MeasureReport local = evaluation.summary(measure, q.periodStart(), q.periodEnd());
        long evaluated = System.nanoTime() - t0;
        store.setState(queryId, QueryState.EVALUATED, null);
        long[] vector = layout.encode(local);
        if (q.noiseMu() > 0) {
            vector = new SkellamNoise(random).addShare(vector, q.noiseMu(), m.sites().size());
        }
        BatchEncoder encoder = new BatchEncoder(m.params());
        if (vector.length > m.params().n()) {
            throw new PeerRefusal(422, "the measure needs " + vector.length + " slots; one ciphertext holds "
                    + m.params().n());
        }
        Ciphertext ct = new Encryptor(keys.requireCollectiveKey()).encrypt(encoder.encode(Arrays.copyOf(vector,
                m.params().n())));
        EnvelopeHeader h = new EnvelopeHeader(m.networkId(), m.epoch(), queryId, PeerRound.CONTRIBUTE.number(),
                m.siteId(), entry, random.nextLong() & Long.MAX_VALUE);
        byte[] envelope = SignedEnvelope.sign(h, ct.toBytes(), m.identity()).encode();
        LOG.infof("query %s: contributed %d slots for %s (local evaluation %d ms, encode, encrypt and sign %d ms;"
                + " cpu of this thread %d ms)", queryId, layout.slotCount(), q.measureUrl(), evaluated / 1_000_000,
                (System.nanoTime() - t0 - evaluated) / 1_000_000, (CPU.getCurrentThreadCpuTime() - cpu0) / 1_000_000);
        return envelope;
    }

    /** Round 2. Recomputes and checks the aggregate, then returns this site's one signed PCKS share. */
    public synchronized byte[] keySwitch(SignedEnvelope request) {
        NetworkContext.Membership m = context.require();
        String queryId = request.header().queryId();
        var query = store.query(queryId).orElseThrow(() -> new PeerRefusal(404, "unknown query " + queryId));
        if (!query.entrySite().equals(request.header().sender())) {
            throw new PeerRefusal(403, "only the entry node of " + queryId + " may ask for its key switch");
        }
        KeySwitchRequest ks = KeySwitchRequest.fromBytes(request.payload());
        Fingerprint claimed = fingerprint(ks.aggregateFingerprint());
        var released = store.share(queryId);
        if (released.isPresent()) {
            if (!released.get().ciphertext().equals(claimed.hex())) {
                throw new PeerRefusal(409, "a share for query " + queryId + " was already released for another aggregate");
            }
            return released.get().envelope();
        }
        if (query.state() != QueryState.CONTRIBUTED) {
            throw new PeerRefusal(409, "query " + queryId + " is " + query.state() + " here");
        }
        long t0 = System.nanoTime();
        long cpu0 = CPU.getCurrentThreadCpuTime();
        Ciphertext aggregate = verifiedSum(m, queryId, ks);
        if (!aggregate.fingerprint().equals(claimed)) {
            throw new PeerRefusal(422, "the aggregate is not the sum of the signed contributions");
        }
        long verified = System.nanoTime() - t0;
        PublicKey target = targetKey(m, ks.targetKey());
        PcksShare share = keys.party().genPcksShare(aggregate, target);
        EnvelopeHeader h = new EnvelopeHeader(m.networkId(), m.epoch(), queryId, PeerRound.KEYSWITCH.number(),
                m.siteId(), query.entrySite(), random.nextLong() & Long.MAX_VALUE);
        byte[] envelope = SignedEnvelope.sign(h, share.toBytes(), m.identity()).encode();
        byte[] stored = store.saveShareOnce(queryId, claimed.hex(), envelope);
        crash.reach(CrashPoint.KEYSWITCH_PERSISTED, queryId);
        LOG.infof("query %s: key-switch share released (verify and sum %d contributions %d ms, share and persist %d ms;"
                + " cpu %d ms)", queryId, ks.contributions().size(), verified / 1_000_000,
                (System.nanoTime() - t0 - verified) / 1_000_000, (CPU.getCurrentThreadCpuTime() - cpu0) / 1_000_000);
        return stored;
    }

    /** The sum of exactly one signed contribution per site for this query, ours unchanged. */
    private Ciphertext verifiedSum(NetworkContext.Membership m, String queryId, KeySwitchRequest ks) {
        Set<String> seen = new HashSet<>();
        byte[] ours = store.contribution(queryId).orElseThrow(() -> new PeerRefusal(409, "no contribution here"));
        boolean oursPresent = false;
        Ciphertext sum = null;
        for (byte[] wire : ks.contributions()) {
            SignedEnvelope c;
            try {
                c = SignedEnvelope.decode(wire);
                c.verify(m.descriptor().certificate(c.header().sender()));
            } catch (PeerProtocolException e) {
                throw new PeerRefusal(422, "a contribution does not verify: " + e.getMessage());
            }
            EnvelopeHeader h = c.header();
            if (!h.queryId().equals(queryId) || h.round() != PeerRound.CONTRIBUTE.number()
                    || !h.networkId().equals(m.networkId()) || h.epoch() != m.epoch() || !seen.add(h.sender())) {
                throw new PeerRefusal(422, "contribution of " + h.sender() + " is not bound to query " + queryId
                        + " or appears twice");
            }
            oursPresent |= Arrays.equals(wire, ours);
            Ciphertext ct = parse(m, c.payload());
            sum = sum == null ? ct : sum.add(ct);
        }
        List<String> members = m.sites().stream().map(s -> s.id()).toList();
        if (!seen.equals(new HashSet<>(members))) {
            throw new PeerRefusal(422, "the aggregate must cover every site's contribution (got " + seen + ")");
        }
        if (!oursPresent) {
            throw new PeerRefusal(422, "this site's contribution is missing or altered");
        }
        return sum;
    }

    private static Fingerprint fingerprint(byte[] raw) {
        try {
            return Fingerprint.fromBytes(raw);
        } catch (MalformedEncodingException e) {
            throw new PeerRefusal(400, "malformed aggregate fingerprint: " + e.getMessage());
        }
    }

    private static PublicKey targetKey(NetworkContext.Membership m, byte[] bytes) {
        try {
            return PublicKey.fromSeededBytes(m.params(), bytes);
        } catch (MalformedEncodingException e) {
            throw new PeerRefusal(400, "malformed target key: " + e.getMessage());
        }
    }

    private static Ciphertext parse(NetworkContext.Membership m, byte[] bytes) {
        try {
            return Ciphertext.fromBytes(m.params(), bytes);
        } catch (MalformedEncodingException e) {
            throw new PeerRefusal(400, "malformed ciphertext: " + e.getMessage());
        }
    }

    /** ABORT from the entry node: this site will not take part further in the query. */
    public byte[] abort(SignedEnvelope request) {
        String queryId = request.header().queryId();
        store.query(queryId).filter(q -> q.entrySite().equals(request.header().sender()))
                .ifPresent(q -> store.setState(queryId, QueryState.ABORTED, "aborted by the entry node"));
        return new byte[0];
    }
}
