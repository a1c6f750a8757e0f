package org.concilium.mhe.multiparty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.Ring;
import org.concilium.mhe.ring.UniformSampler;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.PublicKey;
import org.concilium.mhe.rlwe.SecretKeyShare;

/**
 * CKG, collective public-key generation (Mouchet et al. 2021, Protocol 1): every party publishes
 * b_i = -s_i a + e_i for a common reference polynomial a; the key is (sum b_i, a), an encryption
 * key for s = sum s_i. No smudging is needed: each b_i is a fresh RLWE sample.
 */
public final class CollectivePublicKeyGen {
    private static final byte[] DOMAIN = "concilium/mhe/ckg-crp".getBytes(StandardCharsets.US_ASCII);
    private final Parameters params;
    private final int parties;

    public CollectivePublicKeyGen(Parameters params, int parties) {
        if (parties < 1 || parties > params.maxParties()) {
            throw new IllegalArgumentException("parties must be in [1, " + params.maxParties() + "]");
        }
        this.params = params;
        this.parties = parties;
    }

    /**
     * Expands the public seed (bind it to network id and key epoch) into the CRP a. Every party
     * calls this with the same seed and obtains the same polynomial.
     */
    public Crp sampleCrp(byte[] seed) {
        byte[] bound = new byte[DOMAIN.length + seed.length];
        System.arraycopy(DOMAIN, 0, bound, 0, DOMAIN.length);
        System.arraycopy(seed, 0, bound, DOMAIN.length, seed.length);
        return new Crp(params, Fingerprint.of(bound), UniformSampler.sample(params.ring(), bound));
    }

    public CkgShare genShare(SecretKeyShare sk, Crp crp) {
        requireParams(sk.parameters());
        requireParams(crp.parameters());
        Poly b = KeyGenerator.publicKeyShare(sk, crp.poly());
        return new CkgShare(params, crp.fingerprint(), sk.partyIndex(), 1, b);
    }

    /** Sums shares of adjacent parties for the same CRP. */
    public CkgShare aggregate(List<CkgShare> shares) {
        List<CkgShare> sorted = PartyRange.contiguous(shares);
        CkgShare first = sorted.get(0);
        Ring ring = params.ring();
        Poly acc = first.share();
        int count = 0;
        for (CkgShare s : sorted) {
            requireParams(s.parameters());
            if (!s.crp().equals(first.crp())) {
                throw new IllegalArgumentException("shares for different CRPs");
            }
            if (s != first) {
                ring.add(acc, s.view(), acc);
            }
            count += s.partyCount();
        }
        return new CkgShare(params, first.crp(), first.firstParty(), count, acc);
    }

    /** The collective public key (sum b_i, a); requires the aggregate of all parties' shares. */
    public PublicKey finalize(CkgShare aggregate, Crp crp) {
        PartyRange.requireAll(aggregate, parties);
        if (!aggregate.crp().equals(crp.fingerprint())) {
            throw new IllegalArgumentException("aggregate is for another CRP");
        }
        return PublicKey.of(params, aggregate.view(), crp.poly());
    }

    private void requireParams(Parameters p) {
        if (!p.equals(params)) {
            throw new IllegalArgumentException("object under other parameters: " + p.name());
        }
    }
}
