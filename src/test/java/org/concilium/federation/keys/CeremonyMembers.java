package org.concilium.federation.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.federation.peer.PeerRound;
import org.concilium.mhe.InsecureParameters;
import org.concilium.mhe.multiparty.CollectivePublicKeyGen;
import org.concilium.mhe.multiparty.Crp;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.SecretKeyShare;

/** Members of a small network with real identities and real CKG shares, signing real ceremony messages. */
final class CeremonyMembers {

    static final Parameters PARAMS = InsecureParameters.INSECURE_N1024_Q100_T65537;
    private static final SecureRandom RANDOM = new SecureRandom();

    final NetworkDescriptor descriptor;
    final CeremonyBinding binding;
    final Map<String, SiteIdentity> identities = new LinkedHashMap<>();
    final Map<String, SecretKeyShare> secrets = new LinkedHashMap<>();
    final Map<String, byte[]> shares = new LinkedHashMap<>();
    final CollectivePublicKeyGen ckg;
    final Crp crp;

    CeremonyMembers(String networkId, long epoch, String... siteIds) {
        List<NetworkDescriptor.Site> sites = new ArrayList<>();
        int port = 9443;
        for (String s : siteIds) {
            SiteIdentity id = SiteIdentity.generate(s);
            identities.put(s, id);
            sites.add(id.descriptorEntry("Hospital " + s, "http://127.0.0.1:" + port + "/fhir",
                    "http://127.0.0.1:" + port + "/network/fhir", "https://127.0.0.1:" + (port + 1)));
            port += 10;
        }
        descriptor = new NetworkDescriptor(networkId, epoch, sites);
        binding = new CeremonyBinding(networkId, epoch, CeremonyBinding.ceremonyId(epoch));
        ckg = new CollectivePublicKeyGen(PARAMS, siteIds.length);
        crp = ckg.sampleCrp(crpSeed());
        for (int i = 0; i < siteIds.length; i++) {
            SecretKeyShare sk = SecretKeyShare.generate(PARAMS, i);
            secrets.put(siteIds[i], sk);
            shares.put(siteIds[i], ckg.genShare(sk, crp).toBytes());
        }
    }

    byte[] crpSeed() {
        return ("concilium-ckg|" + descriptor.networkId() + "|" + descriptor.keyEpoch()).getBytes(StandardCharsets.UTF_8);
    }

    byte[] sign(String site, PeerRound round, byte[] payload) {
        return sign(site, round, binding.ceremonyId(), descriptor.keyEpoch(), payload);
    }

    byte[] sign(String site, PeerRound round, String ceremonyId, long epoch, byte[] payload) {
        EnvelopeHeader h = new EnvelopeHeader(descriptor.networkId(), epoch, ceremonyId, round.number(), site, null,
                RANDOM.nextLong() & Long.MAX_VALUE);
        return SignedEnvelope.sign(h, payload, identities.get(site)).encode();
    }

    byte[] commitment(String site, byte[] share) {
        return sign(site, PeerRound.CKG_COMMIT, ShareCommitment.digest(binding, site, share));
    }

    /** Every member's honest commitment. */
    CommitmentSet commitments() {
        List<byte[]> out = new ArrayList<>();
        shares.forEach((site, share) -> out.add(commitment(site, share)));
        return new CommitmentSet(out);
    }

    byte[] fingerprint(CommitmentSet set) {
        CeremonyRefusal ignored = new CeremonyRefusal();
        return set.verify(binding, descriptor, CeremonyAttack.SHARE_BEFORE_COMMITMENTS, ignored).fingerprint();
    }

    byte[] reveal(String site, CommitmentSet set, byte[] share) {
        return sign(site, PeerRound.CKG_SHARE, new ShareReveal(fingerprint(set), share).encode());
    }

    /** The honest transcript: every commitment, every share revealed against them. */
    CeremonyTranscript honest() {
        CommitmentSet set = commitments();
        List<byte[]> reveals = new ArrayList<>();
        shares.forEach((site, share) -> reveals.add(reveal(site, set, share)));
        return new CeremonyTranscript(set, reveals);
    }

    TranscriptVerifier.Context contextOf(String self, byte[] revealedAgainst) {
        return new TranscriptVerifier.Context(binding, descriptor, PARAMS, crpSeed(), self, shares.get(self),
                java.util.Optional.ofNullable(revealedAgainst));
    }
}
