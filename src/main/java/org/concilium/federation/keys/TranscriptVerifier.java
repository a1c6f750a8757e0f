package org.concilium.federation.keys;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.peer.PeerRound;
import org.concilium.mhe.multiparty.CkgShare;
import org.concilium.mhe.multiparty.CollectivePublicKeyGen;
import org.concilium.mhe.multiparty.Crp;
import org.concilium.mhe.rlwe.MalformedEncodingException;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.PublicKey;

/**
 * What every site checks before it accepts a collective key, the coordinator included: every
 * commitment and every share is signed by its member and bound to this ceremony, every member
 * appears exactly once in each, each share is the one its author committed to and was revealed
 * against this very set of commitments (the one this site revealed its own share against), and this
 * site's own commitment and share are there unaltered. Only then is the key derived from the shares.
 */
final class TranscriptVerifier {

    /** This site's view of the ceremony. */
    record Context(CeremonyBinding binding, NetworkDescriptor descriptor, Parameters params, byte[] crpSeed,
            String self, byte[] ownShare, Optional<byte[]> revealedAgainst) {
    }

    /** An accepted key and the fingerprint of the commitments it was derived under. */
    record Verified(PublicKey key, byte[] commitments) {
    }

    private TranscriptVerifier() {
    }

    static Verified verify(CeremonyTranscript transcript, Context c) {
        CeremonyRefusal refusal = new CeremonyRefusal();
        CommitmentSet.Verified commitments = transcript.commitments().verify(c.binding(), c.descriptor(),
                CeremonyAttack.SHARE_WITHOUT_COMMITMENT, refusal);
        byte[] own = ShareCommitment.digest(c.binding(), c.self(), c.ownShare());
        byte[] ownListed = commitments.digests().get(c.self());
        if (ownListed != null && !MessageDigest.isEqual(ownListed, own)) {
            refusal.add(CeremonyAttack.OWN_SHARE_ALTERED, "the commitment of " + c.self() + " is not its own");
        }
        if (c.revealedAgainst().isPresent() && !MessageDigest.isEqual(c.revealedAgainst().get(), commitments.fingerprint())) {
            refusal.add(CeremonyAttack.COMMITMENTS_CHANGED, c.self() + " revealed its share against other commitments");
        }
        Map<String, byte[]> reveals = MemberEnvelopes.verify(transcript.reveals(), c.binding(), PeerRound.CKG_SHARE,
                c.descriptor(), CeremonyAttack.INCOMPLETE_CEREMONY, refusal);
        Crp crp = new CollectivePublicKeyGen(c.params(), c.descriptor().sites().size()).sampleCrp(c.crpSeed());
        List<CkgShare> shares = new ArrayList<>();
        reveals.forEach((site, payload) -> {
            ShareReveal reveal = ShareReveal.decode(payload);
            if (!MessageDigest.isEqual(reveal.commitments(), commitments.fingerprint())) {
                refusal.add(CeremonyAttack.COMMITMENTS_CHANGED, "the share of " + site
                        + " was revealed against another set of commitments");
            }
            byte[] committed = commitments.digests().get(site);
            if (committed == null) {
                refusal.add(CeremonyAttack.SHARE_WITHOUT_COMMITMENT, "the share of " + site + " has no commitment");
            } else if (!MessageDigest.isEqual(committed, ShareCommitment.digest(c.binding(), site, reveal.share()))) {
                refusal.add(CeremonyAttack.ROGUE_KEY_SHARE, "the share of " + site + " is not the one it committed to");
            }
            if (site.equals(c.self()) && !MessageDigest.isEqual(reveal.share(), c.ownShare())) {
                refusal.add(CeremonyAttack.OWN_SHARE_ALTERED, "the share of " + c.self() + " is not its own");
            }
            parse(c, site, reveal.share(), crp, refusal).ifPresent(shares::add);
        });
        refusal.throwIfAny();
        CollectivePublicKeyGen ckg = new CollectivePublicKeyGen(c.params(), c.descriptor().sites().size());
        return new Verified(ckg.finalize(ckg.aggregate(shares), crp), commitments.fingerprint());
    }

    /** The share as its author's (party index = descriptor position) for this epoch's CRP. */
    private static Optional<CkgShare> parse(Context c, String site, byte[] bytes, Crp crp, CeremonyRefusal refusal) {
        try {
            CkgShare s = CkgShare.fromBytes(c.params(), bytes);
            int index = c.descriptor().siteIds().indexOf(site);
            if (s.firstParty() != index || s.partyCount() != 1 || !s.crp().equals(crp.fingerprint())) {
                refusal.add(CeremonyAttack.MALFORMED_SHARE, "the share of " + site + " is not party " + index
                        + "'s share for this epoch's CRP");
                return Optional.empty();
            }
            return Optional.of(s);
        } catch (MalformedEncodingException e) {
            refusal.add(CeremonyAttack.MALFORMED_SHARE, "the share of " + site + " does not parse");
            return Optional.empty();
        }
    }
}
