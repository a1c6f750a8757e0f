package org.concilium.federation.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.concilium.federation.NetworkConfig;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.KeySwitchShareRepository;
import org.concilium.federation.NetworkQuery;
import org.concilium.federation.NetworkQueryRepository;
import org.concilium.federation.SecondShareForMask;
import org.concilium.federation.SiteContribution;
import org.concilium.federation.QueryState;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.keys.CollectiveKeys;
import org.concilium.federation.peer.PeerClient;
import org.concilium.federation.peer.PeerRefusal;
import org.concilium.federation.peer.PeerRound;
import org.concilium.layout.DpSensitivity;
import org.concilium.layout.MeasureLayout;
import org.concilium.measure.ContributionBounds;
import org.concilium.measure.MeasureModel;
import org.concilium.mhe.bfv.BatchEncoder;
import org.concilium.mhe.bfv.Encryptor;
import org.concilium.mhe.multiparty.PcksShare;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.MalformedEncodingException;
import org.concilium.mhe.rlwe.PublicKey;
import org.concilium.privacy.NetworkPrivacyPolicy;
import org.concilium.privacy.SkellamNoise;
import org.hl7.fhir.r4.model.MeasureReport;
import org.jboss.logging.Logger;

/**
 * One site's side of a network query: evaluate locally, encrypt under the collective key, sign and
 * answer with a commitment only (round 20); reveal the contribution once every member's signed
 * commitment is known (round 23); then, only for an aggregate that is exactly the sum of every
 * member's committed, signed contribution, release this site's one key-switch share, persisted
 * before it is sent (round 21). docs/network-protocol.md has the argument.
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
    NetworkQueryRepository store;
    @Inject
    KeySwitchShareRepository shares;
    @Inject
    CollectiveKeys keys;
    @Inject
    LocalEvaluation evaluation;
    @Inject
    PeerClient peers;
    @Inject
    CrashPoint crash;
    @Inject
    OwnContributions own;

    private final SecureRandom random = new SecureRandom();

    /**
     * Round 20. Evaluates, encrypts and signs this site's contribution, stores it, and answers with
     * a signed commitment to it only (the stored one on a retry): nobody sees a contribution before
     * every member has committed to its own.
     */
    public synchronized byte[] contribute(SignedEnvelope request) {
        NetworkContext.Membership m = context.require();
        String queryId = request.header().queryId();
        QueryRequest q = QueryRequest.fromBytes(request.payload());
        String entry = request.header().sender();
        NetworkPrivacyPolicy policy = m.descriptor().privacy();
        // the Measure is read and laid out (its value sets expanded through terminology/) once per
        // query, on first need: by the policy check when DP is on, else by the evaluation
        Supplier<MeasureLayout> layout = once(() -> MeasureLayout.of(evaluation.measure(q.measureUrl()),
                evaluation.valueSets()));
        PolicyCheck.require(m, policy, q, layout);
        var admission = store.admitParticipant(queryId, entry, q.querier(), policy.dpEnabled() ? policy.epsilonPerQuery() : 0,
                policy.budgetPerQuerier(), q.measureUrl(), request.encode());
        if (admission == NetworkQueryRepository.Admission.BUDGET_EXHAUSTED) {
            throw new PeerRefusal(429, "BUDGET_EXHAUSTED", "querier '" + q.querier() + "' has spent its privacy budget"
                    + " through " + entry + " at " + m.siteId());
        }
        if (admission == NetworkQueryRepository.Admission.KNOWN) {
            var known = store.query(queryId).orElseThrow();
            if (!known.entrySite().equals(entry)) {
                throw new PeerRefusal(409, "ANOTHER_ENTRY_NODE", "query " + queryId + " belongs to another entry node");
            }
            return store.contribution(queryId).map(SiteContribution::commitment)
                    .orElseThrow(() -> new PeerRefusal(409, "QUERY_" + known.state(),
                            "query " + queryId + " is " + known.state() + " here; start a new query"));
        }
        try {
            byte[] envelope = evaluateAndEncrypt(m, queryId, entry, q, layout);
            crash.reach(CrashPoint.CONTRIBUTE_EVALUATED, queryId);
            byte[] ciphertext = SignedEnvelope.decode(envelope).payload();
            EnvelopeHeader h = new EnvelopeHeader(m.networkId(), m.epoch(), queryId, PeerRound.CONTRIBUTE.number(),
                    m.siteId(), entry, random.nextLong() & Long.MAX_VALUE);
            byte[] commitment = SignedEnvelope.sign(h, Commitment.digest(m.networkId(), m.epoch(), queryId, m.siteId(),
                    ciphertext), m.identity()).encode();
            store.saveContribution(queryId, envelope, commitment);
            own.stored(queryId, envelope, commitment);
            return commitment;
        } catch (RuntimeException e) {
            store.setState(queryId, QueryState.ABORTED, e.getMessage());
            throw e;
        }
    }

    /**
     * Round 23. Reveals this site's contribution, only against a complete, verified set of every
     * member's commitment for this query (its own included, unchanged), which it stores first: the
     * key switch is later checked against exactly these commitments.
     */
    public synchronized byte[] reveal(SignedEnvelope request) {
        NetworkContext.Membership m = context.require();
        String queryId = request.header().queryId();
        var query = requireEntry(request, queryId);
        RevealRequest r = RevealRequest.fromBytes(request.payload());
        // a CONTRIBUTED query has no commitment set stored yet (saveCommitments writes both in one
        // transaction), so this node's own contribution held in memory is all the reveal needs
        var held = query.state() == QueryState.CONTRIBUTED ? own.get(queryId) : Optional.<OwnContributions.Own>empty();
        if (held.isPresent()) {
            return revealHeld(m, queryId, r, request.payload(), held.get());
        }
        SiteContribution row = store.contribution(queryId)
                .orElseThrow(() -> new PeerRefusal(409, "QUERY_" + query.state(), "no contribution here for " + queryId));
        if (row.commitments() != null) {
            if (!Arrays.equals(row.commitments(), request.payload())) {
                throw new PeerRefusal(409, "ALREADY_REVEALED", "query " + queryId
                        + " was revealed against another set of commitments");
            }
            return row.envelope();
        }
        if (query.state() != QueryState.CONTRIBUTED) {
            throw new PeerRefusal(409, "QUERY_" + query.state(), "query " + queryId + " is " + query.state() + " here");
        }
        return revealHeld(m, queryId, r, request.payload(), new OwnContributions.Own(row.envelope(), row.commitment(),
                null));
    }

    /** The reveal of a CONTRIBUTED query: verify the set against this site's own commitment, store it, reveal. */
    private byte[] revealHeld(NetworkContext.Membership m, String queryId, RevealRequest r, byte[] payload,
            OwnContributions.Own row) {
        abortingOnAttack(queryId, () -> CommitmentSet.verify(m, queryId, row.commitment(), r.commitments()));
        if (!store.saveCommitments(queryId, payload)) {
            throw new PeerRefusal(409, "CONFLICT", "query " + queryId + " changed state during the reveal");
        }
        own.revealed(queryId, payload);
        LOG.infof("query %s: all %d commitments verified; contribution revealed", queryId, r.commitments().size());
        return row.envelope();
    }

    /** An attack found on a query ends it here: the refusal is rethrown after the query is ABORTED. */
    private <T> T abortingOnAttack(String queryId, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (PeerRefusal e) {
            if (e.status() == 422) {
                store.setState(queryId, QueryState.ABORTED, e.getMessage());
                LOG.warnf("query %s: refused and aborted [%s]: %s", queryId, e.category(), e.getMessage());
            }
            throw e;
        }
    }

    private NetworkQuery requireEntry(SignedEnvelope request, String queryId) {
        var query = store.query(queryId).orElseThrow(() -> new PeerRefusal(404, "unknown query " + queryId));
        if (!query.entrySite().equals(request.header().sender())) {
            throw new PeerRefusal(403, "NOT_THE_ENTRY_NODE", "only the entry node of " + queryId
                    + " may ask for this round");
        }
        return query;
    }

    /** A supplier that computes its value at most once (one thread: contribute is synchronized). */
    private static <T> Supplier<T> once(Supplier<T> compute) {
        Object[] held = new Object[1];
        return () -> {
            if (held[0] == null) {
                held[0] = compute.get();
            }
            @SuppressWarnings("unchecked")
            T value = (T) held[0];
            return value;
        };
    }

    private byte[] evaluateAndEncrypt(NetworkContext.Membership m, String queryId, String entry, QueryRequest q,
            Supplier<MeasureLayout> layoutOnce) {
        if (config.allowedMeasures().isPresent() && !config.allowedMeasures().get().contains(q.measureUrl())) {
            throw new PeerRefusal(422, "MEASURE_NOT_ALLOWED", "site " + m.siteId() + " does not evaluate " + q.measureUrl()
                    + " (not on its allow-list)");
        }
        MeasureLayout layout = layoutOnce.get();
        MeasureModel measure = layout.model();
        if (!layout.fingerprint().equals(q.layoutFingerprint())) {
            throw new PeerRefusal(422, "LAYOUT_MISMATCH", "site " + m.siteId() + " holds a different version of "
                    + q.measureUrl()
                    + " (layout " + layout.fingerprint() + ")");
        }
        // the noise comes from this site's policy and the layout, never from the request; it is sized
        // for the Measure's declared per-subject bounds, so every subject is clipped to them first
        double mu = PolicyCheck.noiseMu(m.descriptor().privacy(), layout);
        ContributionBounds bounds = mu > 0 ? DpSensitivity.bounds(measure) : ContributionBounds.NONE;
        long t0 = System.nanoTime();
        long cpu0 = CPU.getCurrentThreadCpuTime();
        MeasureReport local = evaluation.summary(measure, q.periodStart(), q.periodEnd(), bounds);
        long evaluated = System.nanoTime() - t0;
        store.setStateUnflushed(queryId, QueryState.EVALUATED, null);
        long[] vector = layout.encode(local);
        if (mu > 0) {
            vector = new SkellamNoise(random).addShare(vector, mu, m.sites().size());
        }
        BatchEncoder encoder = new BatchEncoder(m.params());
        if (vector.length > m.params().n()) {
            throw new PeerRefusal(422, "TOO_MANY_SLOTS", "the measure needs " + vector.length + " slots; one ciphertext holds "
                    + m.params().n());
        }
        Ciphertext ct = new Encryptor(keys.requireCollectiveKey()).encrypt(encoder.encode(Arrays.copyOf(vector,
                m.params().n())));
        EnvelopeHeader h = new EnvelopeHeader(m.networkId(), m.epoch(), queryId, PeerRound.REVEAL.number(),
                m.siteId(), entry, random.nextLong() & Long.MAX_VALUE);
        byte[] envelope = SignedEnvelope.sign(h, ct.toBytes(), m.identity()).encode();
        LOG.infof("query %s: contributed %d slots for %s (local evaluation %d ms, encode, encrypt and sign %d ms;"
                + " cpu of this thread %d ms)", queryId, layout.slotCount(), q.measureUrl(), evaluated / 1_000_000,
                (System.nanoTime() - t0 - evaluated) / 1_000_000, (CPU.getCurrentThreadCpuTime() - cpu0) / 1_000_000);
        return envelope;
    }

    /**
     * Round 21. Checks every revealed contribution against its author's commitment, recomputes the
     * sum and checks it (VerifiedAggregate), then returns this site's one signed PCKS share,
     * persisted first; never a second share for the same c1.
     */
    public synchronized byte[] keySwitch(SignedEnvelope request) {
        NetworkContext.Membership m = context.require();
        String queryId = request.header().queryId();
        var query = requireEntry(request, queryId);
        KeySwitchRequest ks = KeySwitchRequest.fromBytes(request.payload());
        Fingerprint claimed = fingerprint(ks.aggregateFingerprint());
        var released = shares.share(queryId);
        if (released.isPresent()) {
            if (!released.get().ciphertext().equals(claimed.hex())) {
                throw new PeerRefusal(409, "SHARE_ALREADY_RELEASED", "a share for query " + queryId
                        + " was already released for another aggregate");
            }
            return released.get().envelope();
        }
        if (query.state() == QueryState.CONTRIBUTED) {
            abortingOnAttack(queryId, () -> {
                throw AttackRefusal.of(Attack.KEYSWITCH_BEFORE_REVEAL, "key switch of " + queryId
                        + " asked for before the commitments were presented");
            });
        }
        if (query.state() != QueryState.REVEALED) {
            throw new PeerRefusal(409, "QUERY_" + query.state(), "query " + queryId + " is " + query.state() + " here");
        }
        long t0 = System.nanoTime();
        long cpu0 = CPU.getCurrentThreadCpuTime();
        // the set this node stored in its reveal, and its own envelope: from memory when this node
        // stored them itself, else from the database
        OwnContributions.Own ours = own.get(queryId).filter(o -> o.commitments() != null).orElseGet(() -> {
            SiteContribution row = store.contribution(queryId).orElseThrow();
            return new OwnContributions.Own(row.envelope(), row.commitment(), row.commitments());
        });
        Ciphertext aggregate = abortingOnAttack(queryId, () -> {
            CommitmentSet commitments = CommitmentSet.persisted(RevealRequest.fromBytes(ours.commitments())
                    .commitments());
            Ciphertext sum = VerifiedAggregate.sum(m, queryId, commitments, ours.envelope(), ks.contributions(),
                    shares::shareForMask);
            if (!sum.fingerprint().equals(claimed)) {
                throw AttackRefusal.of(Attack.AGGREGATE_MISMATCH, "the announced aggregate is not the sum of the"
                        + " signed contributions");
            }
            return sum;
        });
        long verified = System.nanoTime() - t0;
        PublicKey target = targetKey(m, ks.targetKey());
        String mask = aggregate.maskFingerprint().hex();
        byte[] stored = abortingOnAttack(queryId, () -> {
            try {
                PcksShare share = keys.party().genPcksShare(aggregate, target);
                EnvelopeHeader h = new EnvelopeHeader(m.networkId(), m.epoch(), queryId, PeerRound.KEYSWITCH.number(),
                        m.siteId(), query.entrySite(), random.nextLong() & Long.MAX_VALUE);
                byte[] envelope = SignedEnvelope.sign(h, share.toBytes(), m.identity()).encode();
                return shares.saveShareOnce(queryId, claimed.hex(), mask, envelope);
            } catch (IllegalStateException | SecondShareForMask e) {
                throw AttackRefusal.of(Attack.SECOND_SHARE_SAME_C1, "a share for c1 " + mask + " was released before: "
                        + e.getMessage());
            }
        });
        own.forget(queryId);
        crash.reach(CrashPoint.KEYSWITCH_PERSISTED, queryId);
        LOG.infof("query %s: key-switch share released (verify and sum %d contributions %d ms, share and persist %d ms;"
                + " cpu %d ms)", queryId, ks.contributions().size(), verified / 1_000_000,
                (System.nanoTime() - t0 - verified) / 1_000_000, (CPU.getCurrentThreadCpuTime() - cpu0) / 1_000_000);
        return stored;
    }

    private static Fingerprint fingerprint(byte[] raw) {
        try {
            return Fingerprint.fromBytes(raw);
        } catch (MalformedEncodingException e) {
            throw new PeerRefusal(400, "MALFORMED", "malformed aggregate fingerprint: " + e.getMessage());
        }
    }

    private static PublicKey targetKey(NetworkContext.Membership m, byte[] bytes) {
        try {
            return PublicKey.fromSeededBytes(m.params(), bytes);
        } catch (MalformedEncodingException e) {
            throw new PeerRefusal(400, "malformed target key: " + e.getMessage());
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
