package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.federation.keys.CeremonyTranscript;
import org.concilium.federation.keys.CommitmentSet;
import org.concilium.federation.keys.ShareCommitment;
import org.concilium.federation.keys.ShareReveal;
import org.concilium.federation.peer.PeerRound;

/**
 * Case 7 of {@link DeviatingEntryNodeIT}: a deviating member in the key ceremony. site-1 (the
 * coordinator) is played by the test with its own real identity and pinned certificate through the
 * real peer API; site-2 and site-3 are real, unmodified nodes of a {@link CeremonyFixture} waiting
 * for the ceremony (site-1's own node must not run, or it would run the ceremony itself). Every
 * attempt to make the collective key the attacker's own (b_M = −s_M·a + e − Σ_{j≠M} b_j) or to see a
 * share before every commitment is fixed is refused with the attack named, and no key is accepted;
 * the honest transcript, last, is accepted, and then no share is given out any more. The honest
 * sites pin the first complete set of commitments they reveal against, so the steps share one and
 * run in the order of {@link #run}.
 */
final class RogueKeyAttack {

    private static final String M = "site-1";
    private static final List<String> HONEST = List.of("site-2", "site-3");

    private final CeremonyFixture net;
    private final DeviatingCeremonyMember attacker;

    private RogueKeyAttack(CeremonyFixture net) throws Exception {
        this.net = net;
        this.attacker = new DeviatingCeremonyMember(net.identities.get(M), net.descriptor);
        for (String site : HONEST) {
            attacker.awaitPeer(site, java.time.Duration.ofMinutes(8));
        }
    }

    /** Starts the two honest members, plays every step against them, stops them. */
    static void run() throws Exception {
        try (CeremonyFixture net = CeremonyFixture.start(3, Set.of(M))) {
            RogueKeyAttack attack = new RogueKeyAttack(net);
            attack.aShareAskedForBeforeEveryCommitmentIsInIsRefused();
            attack.aShareWithoutAPriorCommitmentIsRefusedAndNoKeyIsAccepted();
            attack.aRogueShareChosenAfterSeeingTheOthersIsRefusedAndNoKeyIsAccepted();
            attack.aNonMemberGetsNoShare();
            attack.theHonestTranscriptIsAcceptedAndAfterwardsNoShareIsGivenOut();
        }
    }

    private void aShareAskedForBeforeEveryCommitmentIsInIsRefused() throws Exception {
        CommitmentSet withoutMine = new CommitmentSet(List.of(attacker.commitmentOf("site-2"),
                attacker.commitmentOf("site-3")));
        CommitmentSet onlyMine = new CommitmentSet(List.of(attacker.commitmentTo(attacker.honestShare)));
        for (String site : HONEST) {
            assertRefused(attacker.post(site, PeerRound.CKG_SHARE, withoutMine.encode()), 422, "SHARE_BEFORE_COMMITMENTS");
            assertRefused(attacker.post(site, PeerRound.CKG_SHARE, onlyMine.encode()), 422, "SHARE_BEFORE_COMMITMENTS");
        }
        assertNoKeyAccepted();
    }

    private void aShareWithoutAPriorCommitmentIsRefusedAndNoKeyIsAccepted() throws Exception {
        Revealed honest = revealAgainstMyHonestCommitment();
        byte[] rogue = attacker.rogueShare(honest.othersShares());
        Map<String, byte[]> othersDigests = new LinkedHashMap<>();
        HONEST.forEach(s -> othersDigests.put(s, ShareCommitment.digest(attacker.binding, s, honest.shares.get(s))));
        CommitmentSet withoutMine = new CommitmentSet(List.of(honest.commitments.get("site-2"),
                honest.commitments.get("site-3")));
        List<byte[]> reveals = new ArrayList<>(List.of(attacker.revealOf(rogue,
                CommitmentSet.fingerprint(attacker.binding, othersDigests))));
        HONEST.forEach(s -> reveals.add(honest.reveals.get(s)));
        byte[] transcript = new CeremonyTranscript(withoutMine, reveals).encode();
        for (String site : HONEST) {
            assertRefused(attacker.post(site, PeerRound.CKG_RESULT, transcript), 422, "SHARE_WITHOUT_COMMITMENT");
        }
        assertNoKeyAccepted();
    }

    private void aRogueShareChosenAfterSeeingTheOthersIsRefusedAndNoKeyIsAccepted() throws Exception {
        Revealed honest = revealAgainstMyHonestCommitment();
        byte[] rogue = attacker.rogueShare(honest.othersShares());
        List<byte[]> withRogue = new ArrayList<>(List.of(rogue));
        withRogue.addAll(honest.othersShares());
        assertThat(attacker.keyOf(withRogue).a()).as("the rogue key is over this epoch's CRP").isEqualTo(attacker.crp.poly());

        // the rogue share under the commitment made before seeing the others
        List<byte[]> reveals = new ArrayList<>(List.of(attacker.revealOf(rogue, honest.fingerprint)));
        HONEST.forEach(s -> reveals.add(honest.reveals.get(s)));
        byte[] sameCommitments = new CeremonyTranscript(honest.set(), reveals).encode();
        // the rogue share with a fresh commitment to it, made after seeing the others
        byte[] recommitted = attacker.commitmentTo(rogue);
        CommitmentSet changed = new CommitmentSet(List.of(recommitted, honest.commitments.get("site-2"),
                honest.commitments.get("site-3")));
        List<byte[]> revealsChanged = new ArrayList<>(List.of(attacker.revealOf(rogue,
                attacker.fingerprint(rogue, honest.shares))));
        HONEST.forEach(s -> revealsChanged.add(honest.reveals.get(s)));
        byte[] changedCommitments = new CeremonyTranscript(changed, revealsChanged).encode();

        for (String site : HONEST) {
            assertRefused(attacker.post(site, PeerRound.CKG_RESULT, sameCommitments), 422, "ROGUE_KEY_SHARE");
            assertRefused(attacker.post(site, PeerRound.CKG_RESULT, changedCommitments), 422, "COMMITMENTS_CHANGED");
            // nor does an honest site reveal its share again against the changed commitments
            assertRefused(attacker.post(site, PeerRound.CKG_SHARE, changed.encode()), 422, "COMMITMENTS_CHANGED");
        }
        assertNoKeyAccepted();
    }

    private void aNonMemberGetsNoShare() throws Exception {
        SiteIdentity outsider = SiteIdentity.generate("site-9");
        PeerTestClient client = new PeerTestClient(outsider, net.descriptor);
        EnvelopeHeader h = new EnvelopeHeader(net.descriptor.networkId(), net.descriptor.keyEpoch(),
                attacker.binding.ceremonyId(), PeerRound.CKG_SHARE.number(), outsider.siteId(), "site-2", 1);
        byte[] request = SignedEnvelope.sign(h, new CommitmentSet(List.of(attacker.commitmentOf("site-2"))).encode(),
                outsider).encode();
        // its certificate is not pinned in the descriptor: the TLS handshake itself is refused
        assertThatThrownBy(() -> client.post(net.peerUrl("site-2"), PeerRound.CKG_SHARE.path(), request))
                .isInstanceOf(IOException.class);
    }

    private void theHonestTranscriptIsAcceptedAndAfterwardsNoShareIsGivenOut() throws Exception {
        Revealed honest = revealAgainstMyHonestCommitment();
        List<byte[]> reveals = new ArrayList<>(List.of(attacker.revealOf(attacker.honestShare, honest.fingerprint)));
        HONEST.forEach(s -> reveals.add(honest.reveals.get(s)));
        byte[] transcript = new CeremonyTranscript(honest.set(), reveals).encode();
        List<byte[]> shares = new ArrayList<>(List.of(attacker.honestShare));
        shares.addAll(honest.othersShares());
        String expected = attacker.keyOf(shares).fingerprint().hex();
        for (String site : HONEST) {
            assertThat(attacker.post(site, PeerRound.CKG_RESULT, transcript).statusCode()).as(site).isEqualTo(200);
            assertThat(attacker.keyHash(site)).as(site).isEqualTo(expected);
        }
        for (String site : HONEST) {
            assertRefused(attacker.post(site, PeerRound.CKG_SHARE, honest.set().encode()), 409, "SHARE_AFTER_CEREMONY");
        }
    }

    /** What the attacker holds after committing honestly and collecting the others' commitments and shares. */
    private record Revealed(Map<String, byte[]> commitments, Map<String, byte[]> reveals, Map<String, byte[]> shares,
            byte[] fingerprint) {
        CommitmentSet set() {
            return new CommitmentSet(List.copyOf(commitments.values()));
        }

        List<byte[]> othersShares() {
            return HONEST.stream().map(shares::get).toList();
        }
    }

    private Revealed revealAgainstMyHonestCommitment() throws Exception {
        Map<String, byte[]> commitments = new LinkedHashMap<>();
        commitments.put(M, attacker.commitmentTo(attacker.honestShare));
        for (String s : HONEST) {
            commitments.put(s, attacker.commitmentOf(s));
        }
        byte[] set = new CommitmentSet(List.copyOf(commitments.values())).encode();
        Map<String, byte[]> reveals = new LinkedHashMap<>();
        Map<String, byte[]> shares = new LinkedHashMap<>();
        byte[] fingerprint = null;
        for (String s : HONEST) {
            HttpResponse<byte[]> r = attacker.post(s, PeerRound.CKG_SHARE, set);
            assertThat(r.statusCode()).as(s + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            SignedEnvelope e = SignedEnvelope.decode(r.body());
            e.verify(net.descriptor.certificate(s));
            ShareReveal reveal = ShareReveal.decode(e.payload());
            reveals.put(s, r.body());
            shares.put(s, reveal.share());
            fingerprint = reveal.commitments();
        }
        return new Revealed(commitments, reveals, shares, fingerprint);
    }

    private void assertNoKeyAccepted() throws Exception {
        for (String site : HONEST) {
            assertThat(attacker.keyHash(site)).as(site + " holds no key").isEmpty();
            assertThat(net.readiness(site)).as(site).doesNotContain("collectiveKey");
        }
    }

    private static void assertRefused(HttpResponse<byte[]> r, int status, String attack) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(body).isEqualTo(status);
        assertThat(body).as("the refusal names the attack").contains(attack);
    }
}
