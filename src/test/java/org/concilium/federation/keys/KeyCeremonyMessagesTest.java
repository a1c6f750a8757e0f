package org.concilium.federation.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.federation.peer.PeerRefusal;
import org.concilium.federation.peer.PeerRound;
import org.concilium.mhe.multiparty.CkgShare;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.Ring;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.PublicKey;
import org.junit.jupiter.api.Test;

/**
 * The key ceremony's messages: exact round trips, refusal of malformed encodings, and the checks
 * every site makes on a transcript before it accepts a key — each deviation refused by its name.
 */
class KeyCeremonyMessagesTest {

    private static final String M = "site-1";
    private final CeremonyMembers net = new CeremonyMembers("net-test", 3, M, "site-2", "site-3");

    @Test
    void commitmentSetShareRevealAndTranscriptRoundTripExactly() {
        CeremonyTranscript t = net.honest();
        byte[] set = t.commitments().encode();
        assertThat(CommitmentSet.decode(set).encode()).isEqualTo(set);
        byte[] wire = t.encode();
        CeremonyTranscript back = CeremonyTranscript.decode(wire);
        assertThat(back.encode()).isEqualTo(wire);
        assertThat(back.reveals()).hasSize(3);
        ShareReveal r = new ShareReveal(net.fingerprint(t.commitments()), net.shares.get(M));
        ShareReveal rb = ShareReveal.decode(r.encode());
        assertThat(rb.commitments()).isEqualTo(r.commitments());
        assertThat(rb.share()).isEqualTo(net.shares.get(M));
    }

    @Test
    void truncatedOrPaddedOrRelabelledEncodingsAreRefusedAsMalformed() {
        CeremonyTranscript t = net.honest();
        assertMalformedWhenCut(t.encode(), CeremonyTranscript::decode);
        assertMalformedWhenCut(t.commitments().encode(), CommitmentSet::decode);
        assertMalformedWhenCut(new ShareReveal(new byte[32], net.shares.get(M)).encode(), ShareReveal::decode);

        byte[] wrongVersion = t.encode();
        wrongVersion[0] = 2;
        assertMalformed(wrongVersion, CeremonyTranscript::decode);
        assertMalformed(ByteBuffer.allocate(4).putInt(0).array(), CommitmentSet::decode);
        assertMalformed(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(), CommitmentSet::decode);
        assertMalformed(ByteBuffer.allocate(8).putInt(1).putInt(-1).array(), CommitmentSet::decode);
        byte[] reveal = new ShareReveal(new byte[32], new byte[] {1, 2, 3}).encode();
        reveal[0] = 0;
        assertMalformed(reveal, ShareReveal::decode);
        // an envelope in the list that is not an envelope
        byte[] garbage = new CommitmentSet(List.of(new byte[] {'C', 'C', 'P', 'E', 1})).encode();
        assertThatThrownBy(() -> CommitmentSet.decode(garbage).verify(net.binding, net.descriptor,
                CeremonyAttack.SHARE_BEFORE_COMMITMENTS, new CeremonyRefusal()))
                .isInstanceOfSatisfying(PeerRefusal.class, r -> assertThat(r.status()).isEqualTo(400));
    }

    @Test
    void anHonestTranscriptGivesEveryMemberTheAggregateOfAllShares() {
        CeremonyTranscript t = net.honest();
        byte[] fp = net.fingerprint(t.commitments());
        List<CkgShare> all = net.shares.values().stream().map(b -> CkgShare.fromBytes(CeremonyMembers.PARAMS, b)).toList();
        PublicKey expected = net.ckg.finalize(net.ckg.aggregate(all), net.crp);
        for (String site : net.shares.keySet()) {
            TranscriptVerifier.Verified v = TranscriptVerifier.verify(t, net.contextOf(site, fp));
            assertThat(v.key()).as(site).isEqualTo(expected);
            assertThat(v.commitments()).isEqualTo(fp);
        }
    }

    @Test
    void aRogueShareChosenAfterTheOthersIsRefusedAsNotTheCommittedOne() {
        CommitmentSet set = net.commitments();
        byte[] rogue = rogueShare();
        // sanity: the rogue share would make the "collective" key the attacker's own (b = −s_M·a + e)
        List<CkgShare> withRogue = new ArrayList<>(List.of(CkgShare.fromBytes(CeremonyMembers.PARAMS, rogue)));
        net.shares.forEach((s, b) -> {
            if (!s.equals(M)) {
                withRogue.add(CkgShare.fromBytes(CeremonyMembers.PARAMS, b));
            }
        });
        Ring ring = CeremonyMembers.PARAMS.ring();
        Poly key = net.ckg.finalize(net.ckg.aggregate(withRogue), net.crp).b();
        Poly own = KeyGenerator.publicKeyShare(net.secrets.get(M), net.crp.poly());
        ring.sub(key, own, key);
        assertThat(maxCentred(ring, key)).as("key minus the attacker's own −s_M·a is small noise").isLessThan(1 << 10);

        List<byte[]> reveals = List.of(net.reveal(M, set, rogue), net.reveal("site-2", set, net.shares.get("site-2")),
                net.reveal("site-3", set, net.shares.get("site-3")));
        assertRefused(new CeremonyTranscript(set, reveals), "site-2", CeremonyAttack.ROGUE_KEY_SHARE);
    }

    @Test
    void aCommitmentChangedAfterTheRevealsIsRefusedBySitesThatRevealedAgainstTheFirst() {
        CommitmentSet honestSet = net.commitments();
        byte[] rogue = rogueShare();
        CommitmentSet recommitted = new CommitmentSet(List.of(net.commitment(M, rogue),
                net.commitment("site-2", net.shares.get("site-2")), net.commitment("site-3", net.shares.get("site-3"))));
        List<byte[]> reveals = List.of(net.reveal(M, recommitted, rogue),
                net.reveal("site-2", honestSet, net.shares.get("site-2")),
                net.reveal("site-3", honestSet, net.shares.get("site-3")));
        assertRefused(new CeremonyTranscript(recommitted, reveals), "site-2", CeremonyAttack.COMMITMENTS_CHANGED);
    }

    @Test
    void aShareWithoutACommitmentIsRefused() {
        CommitmentSet withoutM = new CommitmentSet(List.of(net.commitment("site-2", net.shares.get("site-2")),
                net.commitment("site-3", net.shares.get("site-3"))));
        List<byte[]> reveals = new ArrayList<>();
        net.shares.forEach((s, b) -> reveals.add(net.reveal(s, withoutM, s.equals(M) ? rogueShare() : b)));
        assertRefused(new CeremonyTranscript(withoutM, reveals), "site-2", CeremonyAttack.SHARE_WITHOUT_COMMITMENT);
    }

    @Test
    void aMissingOrDuplicatedShareIsRefused() {
        CeremonyTranscript t = net.honest();
        List<byte[]> twice = new ArrayList<>(t.reveals());
        twice.set(2, t.reveals().get(1));
        assertRefused(new CeremonyTranscript(t.commitments(), twice), "site-2", CeremonyAttack.INCOMPLETE_CEREMONY);
        assertRefused(new CeremonyTranscript(t.commitments(), t.reveals().subList(0, 2)), "site-2",
                CeremonyAttack.INCOMPLETE_CEREMONY);
    }

    @Test
    void aCommitmentReplayedFromAnotherEpochOrRoundIsRefused() {
        CeremonyTranscript t = net.honest();
        List<byte[]> commitments = new ArrayList<>(t.commitments().envelopes());
        commitments.set(0, net.sign(M, PeerRound.CKG_COMMIT, CeremonyBinding.ceremonyId(2), 2,
                ShareCommitment.digest(net.binding, M, net.shares.get(M))));
        assertRefused(new CeremonyTranscript(new CommitmentSet(commitments), t.reveals()), "site-2",
                CeremonyAttack.WRONG_BINDING);
        List<byte[]> reveals = new ArrayList<>(t.reveals());
        reveals.set(0, net.sign(M, PeerRound.CKG_COMMIT, new ShareReveal(net.fingerprint(t.commitments()),
                net.shares.get(M)).encode()));
        assertRefused(new CeremonyTranscript(t.commitments(), reveals), "site-2", CeremonyAttack.WRONG_BINDING);
    }

    @Test
    void aForgedSignatureOrAnOutsidersMessageIsRefused() {
        CeremonyTranscript t = net.honest();
        List<byte[]> forged = new ArrayList<>(t.reveals());
        byte[] e = forged.get(0).clone();
        e[e.length - 200] ^= 1; // a byte of the signed share: the signature no longer covers it
        forged.set(0, e);
        assertRefused(new CeremonyTranscript(t.commitments(), forged), "site-2", CeremonyAttack.BAD_SIGNATURE);

        SiteIdentity outsider = SiteIdentity.generate("site-9");
        net.identities.put("site-9", outsider);
        List<byte[]> commitments = new ArrayList<>(t.commitments().envelopes());
        commitments.add(net.sign("site-9", PeerRound.CKG_COMMIT, new byte[32]));
        assertRefused(new CeremonyTranscript(new CommitmentSet(commitments), t.reveals()), "site-2",
                CeremonyAttack.NOT_A_MEMBER);
    }

    @Test
    void aTranscriptWithThisSitesShareAlteredIsRefusedByThatSite() {
        CommitmentSet set = net.commitments();
        List<byte[]> reveals = new ArrayList<>();
        net.shares.forEach((s, b) -> reveals.add(net.reveal(s, set, b)));
        byte[] otherShare = net.ckg.genShare(org.concilium.mhe.rlwe.SecretKeyShare.generate(CeremonyMembers.PARAMS, 1),
                net.crp).toBytes();
        // as seen by a site whose own share is not the one the transcript carries under its name
        TranscriptVerifier.Context asSite2 = new TranscriptVerifier.Context(net.binding, net.descriptor,
                CeremonyMembers.PARAMS, net.crpSeed(), "site-2", otherShare, java.util.Optional.empty());
        assertThatThrownBy(() -> TranscriptVerifier.verify(new CeremonyTranscript(set, reveals), asSite2))
                .isInstanceOfSatisfying(PeerRefusal.class,
                        r -> assertThat(r.category()).contains(CeremonyAttack.OWN_SHARE_ALTERED.name()));
    }

    @Test
    void aShareClaimingAnotherPartysIndexIsRefused() {
        byte[] asParty0 = net.ckg.genShare(net.secrets.get(M), net.crp).toBytes();
        CommitmentSet set = new CommitmentSet(List.of(net.commitment(M, net.shares.get(M)),
                net.commitment("site-2", asParty0), net.commitment("site-3", net.shares.get("site-3"))));
        List<byte[]> reveals = List.of(net.reveal(M, set, net.shares.get(M)), net.reveal("site-2", set, asParty0),
                net.reveal("site-3", set, net.shares.get("site-3")));
        assertRefused(new CeremonyTranscript(set, reveals), "site-3", CeremonyAttack.MALFORMED_SHARE);
    }

    /** b_M = −s_M·a + e − Σ_{j≠M} b_j: the key's b becomes the attacker's own −s_M·a + e. */
    private byte[] rogueShare() {
        Ring ring = CeremonyMembers.PARAMS.ring();
        Poly b = KeyGenerator.publicKeyShare(net.secrets.get(M), net.crp.poly());
        net.shares.forEach((s, bytes) -> {
            if (!s.equals(M)) {
                ring.sub(b, CkgShare.fromBytes(CeremonyMembers.PARAMS, bytes).share(), b);
            }
        });
        return new CkgShare(CeremonyMembers.PARAMS, net.crp.fingerprint(), 0, 1, b).toBytes();
    }

    /** Largest |coefficient| (first limb, centred) of an NTT-form polynomial. */
    private static long maxCentred(Ring ring, Poly ntt) {
        Poly p = ntt.copy();
        ring.intt(p);
        long q = ring.modulus(0).value();
        long max = 0;
        for (int i = 0; i < ring.n(); i++) {
            long c = p.limb(0)[i];
            max = Math.max(max, Math.min(c, q - c));
        }
        return max;
    }

    private void assertRefused(CeremonyTranscript t, String self, CeremonyAttack attack) {
        byte[] honestFp = net.fingerprint(net.commitments());
        assertThatThrownBy(() -> TranscriptVerifier.verify(CeremonyTranscript.decode(t.encode()),
                net.contextOf(self, honestFp)))
                .isInstanceOfSatisfying(PeerRefusal.class, r -> {
                    assertThat(r.category()).contains(attack.name());
                    assertThat(r.getMessage()).contains(r.category().split(","));
                });
    }

    private static void assertMalformed(byte[] bytes, Function<byte[], ?> decode) {
        assertThatThrownBy(() -> decode.apply(bytes)).as("%d bytes", bytes.length)
                .isInstanceOfSatisfying(PeerRefusal.class, r -> assertThat(r.status()).isEqualTo(400));
    }

    /** Every cut in the first 300 bytes and every 97th after, and one byte too many. */
    private static void assertMalformedWhenCut(byte[] wire, Function<byte[], ?> decode) {
        for (int len = 0; len < wire.length; len += len < 300 ? 1 : 97) {
            assertMalformed(Arrays.copyOf(wire, len), decode);
        }
        assertMalformed(Arrays.copyOf(wire, wire.length + 1), decode);
    }
}
