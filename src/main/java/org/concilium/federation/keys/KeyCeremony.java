package org.concilium.federation.keys;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.SiteLeader;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.peer.PeerClient;
import org.concilium.federation.peer.PeerRefusal;
import org.concilium.federation.peer.PeerRound;
import org.jboss.logging.Logger;

/**
 * Collective public key generation (CKG) over the peer channel, commit-then-reveal. The first site
 * in the descriptor coordinates: it collects every member's signed commitment to its CKG share,
 * hands the complete set to every member, collects each member's share (each member reveals it
 * only against a complete, verified set, and only ever against one set per epoch), and forwards
 * the transcript of signed messages. Every site, the coordinator included, verifies the transcript
 * ({@link TranscriptVerifier}) before it accepts the key; then every site checks that all peers
 * report the same key: until they do, the node is not ready.
 */
@ApplicationScoped
public class KeyCeremony {

    private static final Logger LOG = Logger.getLogger(KeyCeremony.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    @Inject
    NetworkContext context;
    @Inject
    CollectiveKeys keys;
    @Inject
    PeerClient peers;
    @Inject
    KeyEpochRepository epochs;
    @Inject
    SiteLeader leader;

    private final SecureRandom random = new SecureRandom();
    private volatile boolean agreed;
    private ScheduledExecutorService loop;

    void onStart(@Observes StartupEvent event) {
        if (!context.enabled()) {
            return;
        }
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "key-ceremony"));
        loop.scheduleWithFixedDelay(this::step, 500, 1000, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.shutdownNow();
        }
    }

    /** True once this node holds the collective key and every peer reported the same hash. */
    public boolean ready() {
        return agreed;
    }

    private void step() {
        try {
            NetworkContext.Membership m = context.require();
            keys.refresh();
            if (keys.collectiveKey().isEmpty()) {
                // one coordinator per site, however many replicas it runs
                if (m.isCoordinator() && leader.isLeader()) {
                    coordinate(m);
                }
                return;
            }
            if (!agreed) {
                agreed = allPeersAgree(m);
                if (agreed) {
                    LOG.infof("all %d sites hold collective key %s", m.sites().size(), keys.keyHash().orElse(""));
                    // once the new epoch's key is agreed, older secret shares only add to what a breach exposes
                    long erased = epochs.eraseBefore(m.epoch());
                    if (erased > 0) {
                        LOG.infof("erased the key shares of %d earlier epoch(s)", erased);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("key ceremony not complete yet: %s", e.getMessage());
        }
    }

    /** Commitments from every member, then their shares, then the transcript to every member. */
    private void coordinate(NetworkContext.Membership m) {
        CeremonyBinding binding = CeremonyBinding.of(m);
        long t0 = System.nanoTime();
        List<byte[]> commitments = new ArrayList<>();
        for (NetworkDescriptor.Site s : m.sites()) {
            commitments.add(s.id().equals(m.siteId()) ? commitment(m)
                    : peers.call(s.id(), PeerRound.CKG_COMMIT, binding.ceremonyId(), new byte[0], CALL_TIMEOUT).encode());
        }
        CommitmentSet set = new CommitmentSet(commitments);
        long t1 = System.nanoTime();
        List<byte[]> reveals = new ArrayList<>();
        for (NetworkDescriptor.Site s : m.sites()) {
            reveals.add(s.id().equals(m.siteId()) ? revealAgainst(m, set)
                    : peers.call(s.id(), PeerRound.CKG_SHARE, binding.ceremonyId(), set.encode(), CALL_TIMEOUT).encode());
        }
        long t2 = System.nanoTime();
        CeremonyTranscript transcript = new CeremonyTranscript(set, reveals);
        accept(m, transcript);
        long t3 = System.nanoTime();
        byte[] wire = transcript.encode();
        for (NetworkDescriptor.Site s : m.sites()) {
            if (!s.id().equals(m.siteId())) {
                peers.call(s.id(), PeerRound.CKG_RESULT, binding.ceremonyId(), wire, CALL_TIMEOUT);
            }
        }
        LOG.infof("key ceremony %s: commitments %d ms, shares %d ms, verify %d ms, transcript (%d bytes) to every"
                + " site %d ms", binding.ceremonyId(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                (t3 - t2) / 1_000_000, wire.length, (System.nanoTime() - t3) / 1_000_000);
    }

    /** Peer request: this site's signed commitment to its CKG share (deterministic, harmless at any time). */
    public byte[] commit(SignedEnvelope request) {
        return commitment(requireCeremony(request));
    }

    /**
     * Peer request: this site's share, revealed only during the ceremony and only against a complete
     * set of verified commitments that includes this site's own; the set is pinned (durably) before
     * the share leaves, and no other set is ever accepted for the epoch.
     */
    public byte[] reveal(SignedEnvelope request) {
        NetworkContext.Membership m = requireCeremony(request);
        if (keys.collectiveKey().isPresent()) {
            throw CeremonyRefusal.of(CeremonyAttack.SHARE_AFTER_CEREMONY, "the key of epoch " + m.epoch()
                    + " is agreed; shares are no longer given out");
        }
        return revealAgainst(m, CommitmentSet.decode(request.payload()));
    }

    /** Peer request: the coordinator's transcript, verified in full before the key is accepted. */
    public byte[] result(SignedEnvelope request) {
        NetworkContext.Membership m = requireCeremony(request);
        if (!request.header().sender().equals(m.sites().get(0).id())) {
            throw new PeerRefusal(403, "only the coordinator " + m.sites().get(0).id() + " sends the transcript");
        }
        accept(m, CeremonyTranscript.decode(request.payload()));
        return keys.keyHash().orElseThrow().getBytes(StandardCharsets.UTF_8);
    }

    /** Peer request: the hash of the collective key this site holds (empty before the ceremony). */
    public byte[] hash(SignedEnvelope request) {
        return keys.keyHash().orElse("").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] commitment(NetworkContext.Membership m) {
        return sign(m, PeerRound.CKG_COMMIT, ShareCommitment.digest(CeremonyBinding.of(m), m.siteId(), keys.ckgShare()));
    }

    private synchronized byte[] revealAgainst(NetworkContext.Membership m, CommitmentSet set) {
        CeremonyBinding binding = CeremonyBinding.of(m);
        CeremonyRefusal refusal = new CeremonyRefusal();
        CommitmentSet.Verified v = set.verify(binding, m.descriptor(), CeremonyAttack.SHARE_BEFORE_COMMITMENTS, refusal);
        byte[] share = keys.ckgShare();
        byte[] own = v.digests().get(m.siteId());
        if (own != null && !MessageDigest.isEqual(own, ShareCommitment.digest(binding, m.siteId(), share))) {
            refusal.add(CeremonyAttack.OWN_SHARE_ALTERED, "the commitment of " + m.siteId() + " is not its own");
        }
        refusal.throwIfAny();
        if (!epochs.pinCommitments(m.epoch(), v.fingerprint())) {
            throw CeremonyRefusal.of(CeremonyAttack.COMMITMENTS_CHANGED, m.siteId()
                    + " already revealed its share against another set of commitments in epoch " + m.epoch());
        }
        return sign(m, PeerRound.CKG_SHARE, new ShareReveal(v.fingerprint(), share).encode());
    }

    private synchronized void accept(NetworkContext.Membership m, CeremonyTranscript transcript) {
        TranscriptVerifier.Verified v = TranscriptVerifier.verify(transcript, new TranscriptVerifier.Context(
                CeremonyBinding.of(m), m.descriptor(), m.params(), m.crpSeed(), m.siteId(), keys.ckgShare(),
                epochs.revealedAgainst(m.epoch())));
        if (keys.collectiveKey().isPresent()) {
            if (!keys.collectiveKey().get().equals(v.key())) {
                throw CeremonyRefusal.of(CeremonyAttack.KEY_CONFLICT, "a different collective key is already"
                        + " established for epoch " + m.epoch());
            }
            return;
        }
        keys.accept(v.key(), v.commitments(), transcript.encode());
    }

    /** A ceremony message signed for every site: the coordinator forwards it as it is. */
    private byte[] sign(NetworkContext.Membership m, PeerRound round, byte[] payload) {
        EnvelopeHeader h = new EnvelopeHeader(m.networkId(), m.epoch(), CeremonyBinding.of(m).ceremonyId(),
                round.number(), m.siteId(), null, random.nextLong() & Long.MAX_VALUE);
        return SignedEnvelope.sign(h, payload, m.identity()).encode();
    }

    /** Every peer holds the same key; the coordinator re-sends the transcript to a peer that has none. */
    private boolean allPeersAgree(NetworkContext.Membership m) {
        String mine = keys.keyHash().orElseThrow();
        boolean all = true;
        for (NetworkDescriptor.Site s : m.sites()) {
            if (s.id().equals(m.siteId())) {
                continue;
            }
            String theirs = new String(peers.call(s.id(), PeerRound.KEY_HASH, "keyhash-" + System.nanoTime(),
                    new byte[0], CALL_TIMEOUT).payload(), StandardCharsets.UTF_8);
            if (theirs.isEmpty() && m.isCoordinator()) {
                epochs.transcript(m.epoch()).ifPresent(t -> peers.call(s.id(), PeerRound.CKG_RESULT,
                        CeremonyBinding.of(m).ceremonyId(), t, CALL_TIMEOUT));
                all = false;
                continue;
            }
            all &= mine.equals(theirs);
        }
        return all;
    }

    private NetworkContext.Membership requireCeremony(SignedEnvelope request) {
        NetworkContext.Membership m = context.require();
        if (!request.header().queryId().equals(CeremonyBinding.of(m).ceremonyId())) {
            throw new PeerRefusal(409, "not this epoch's key ceremony");
        }
        return m;
    }
}
