package org.concilium.network;

import java.net.http.HttpResponse;
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
import org.concilium.federation.keys.CeremonyBinding;
import org.concilium.federation.keys.CommitmentSet;
import org.concilium.federation.keys.ShareCommitment;
import org.concilium.federation.keys.ShareReveal;
import org.concilium.federation.peer.PeerRound;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.multiparty.CkgShare;
import org.concilium.mhe.multiparty.CollectivePublicKeyGen;
import org.concilium.mhe.multiparty.Crp;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.Ring;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.PublicKey;
import org.concilium.mhe.rlwe.SecretKeyShare;

/**
 * A member of the network that deviates in the key ceremony, speaking the real peer protocol with
 * its own real identity over mutual TLS. It holds its own secret share s_M and an honest CKG share
 * b_M0 = −s_M·a + e (what it may commit to), and can compute the rogue share
 * b_M = −s_M·a + e − Σ_{j≠M} b_j that would make the collective key its own.
 */
final class DeviatingCeremonyMember {

    static final Parameters PARAMS = NamedParameters.DEFAULT.parameters();
    private static final SecureRandom RANDOM = new SecureRandom();

    final String id;
    final SiteIdentity identity;
    final NetworkDescriptor descriptor;
    final CeremonyBinding binding;
    final Crp crp;
    final SecretKeyShare secret;
    final byte[] honestShare;
    private final CollectivePublicKeyGen ckg;
    private final PeerTestClient client;

    DeviatingCeremonyMember(SiteIdentity identity, NetworkDescriptor descriptor) throws Exception {
        this.id = identity.siteId();
        this.identity = identity;
        this.descriptor = descriptor;
        this.binding = new CeremonyBinding(descriptor.networkId(), descriptor.keyEpoch(),
                CeremonyBinding.ceremonyId(descriptor.keyEpoch()));
        this.ckg = new CollectivePublicKeyGen(PARAMS, descriptor.sites().size());
        this.crp = ckg.sampleCrp(("concilium-ckg|" + descriptor.networkId() + "|" + descriptor.keyEpoch())
                .getBytes(StandardCharsets.UTF_8));
        this.secret = SecretKeyShare.generate(PARAMS, descriptor.siteIds().indexOf(id));
        this.honestShare = ckg.genShare(secret, crp).toBytes();
        this.client = new PeerTestClient(identity, descriptor);
    }

    /** A ceremony message of this member, signed with its real identity. */
    byte[] sign(PeerRound round, String to, byte[] payload) {
        EnvelopeHeader h = new EnvelopeHeader(descriptor.networkId(), descriptor.keyEpoch(), binding.ceremonyId(),
                round.number(), id, to, RANDOM.nextLong() & Long.MAX_VALUE);
        return SignedEnvelope.sign(h, payload, identity).encode();
    }

    HttpResponse<byte[]> post(String site, PeerRound round, byte[] payload) throws Exception {
        return client.post(descriptor.site(site).orElseThrow().peerUrl(), round.path(), sign(round, site, payload));
    }

    /** Another member's signed commitment, as it answered (the envelope the coordinator forwards). */
    byte[] commitmentOf(String site) throws Exception {
        HttpResponse<byte[]> r = post(site, PeerRound.CKG_COMMIT, new byte[0]);
        if (r.statusCode() != 200) {
            throw new AssertionError(site + " refused its commitment: " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r.body();
    }

    byte[] commitmentTo(byte[] share) {
        return sign(PeerRound.CKG_COMMIT, null, ShareCommitment.digest(binding, id, share));
    }

    byte[] revealOf(byte[] share, byte[] commitmentsFingerprint) {
        return sign(PeerRound.CKG_SHARE, null, new ShareReveal(commitmentsFingerprint, share).encode());
    }

    /** Fingerprint of the commitments (this member's to {@code ownShare}, the others' as they answered). */
    byte[] fingerprint(byte[] ownShare, Map<String, byte[]> othersShares) {
        Map<String, byte[]> digests = new LinkedHashMap<>();
        for (String site : descriptor.siteIds()) {
            digests.put(site, ShareCommitment.digest(binding, site, site.equals(id) ? ownShare : othersShares.get(site)));
        }
        return CommitmentSet.fingerprint(binding, digests);
    }

    /** The signed key hash a site reports (empty while it holds no key). */
    String keyHash(String site) throws Exception {
        EnvelopeHeader h = new EnvelopeHeader(descriptor.networkId(), descriptor.keyEpoch(), "keyhash-" + System.nanoTime(),
                PeerRound.KEY_HASH.number(), id, site, RANDOM.nextLong() & Long.MAX_VALUE);
        HttpResponse<byte[]> r = client.post(descriptor.site(site).orElseThrow().peerUrl(), PeerRound.KEY_HASH.path(),
                SignedEnvelope.sign(h, new byte[0], identity).encode());
        if (r.statusCode() != 200) {
            throw new AssertionError(site + " refused the key hash: " + new String(r.body(), StandardCharsets.UTF_8));
        }
        SignedEnvelope answer = SignedEnvelope.decode(r.body());
        answer.verify(descriptor.certificate(site));
        return new String(answer.payload(), StandardCharsets.UTF_8);
    }

    /** b_M = −s_M·a + e − Σ_{j≠M} b_j: the sum of all shares is then −s_M·a + e, a key for s_M alone. */
    byte[] rogueShare(List<byte[]> othersShares) {
        Ring ring = PARAMS.ring();
        Poly b = KeyGenerator.publicKeyShare(secret, crp.poly());
        for (byte[] other : othersShares) {
            ring.sub(b, CkgShare.fromBytes(PARAMS, other).share(), b);
        }
        return new CkgShare(PARAMS, crp.fingerprint(), descriptor.siteIds().indexOf(id), 1, b).toBytes();
    }

    /** The key the shares add up to (what an honest site would derive from them). */
    PublicKey keyOf(List<byte[]> shares) {
        List<CkgShare> parsed = new ArrayList<>();
        shares.forEach(s -> parsed.add(CkgShare.fromBytes(PARAMS, s)));
        return ckg.finalize(ckg.aggregate(parsed), crp);
    }
}
