package org.concilium.mhe.rlwe;

import org.concilium.mhe.ring.GaussianSampler;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.RandomSource;
import org.concilium.mhe.ring.Ring;
import org.concilium.mhe.ring.UniformSampler;

/** Single-party key pairs, e.g. the querier's per-query target key for PCKS. */
public final class KeyGenerator {
    private KeyGenerator() {
    }

    /** A secret key with its public key; the public key's a is expanded from a fresh DRBG seed. */
    public record KeyPair(SecretKeyShare secretKey, PublicKey publicKey) {
        @Override
        public String toString() {
            return "KeyPair[" + publicKey + "]";
        }
    }

    public static KeyPair generateKeyPair(Parameters params) {
        return generateKeyPair(params, RandomSource.secure());
    }

    static KeyPair generateKeyPair(Parameters params, RandomSource random) {
        SecretKeyShare sk = SecretKeyShare.generate(params, 0, random);
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        Ring ring = params.ring();
        Poly a = UniformSampler.sample(ring, seed);
        Poly b = publicKeyShare(params, sk, a, random);
        return new KeyPair(sk, PublicKey.seeded(params, b, a, seed));
    }

    /**
     * b_i = -s_i a + e_i in NTT form (e_i from the DRBG): a party's contribution to a collective
     * public key for the CRP a.
     */
    public static Poly publicKeyShare(SecretKeyShare sk, Poly aNtt) {
        return publicKeyShare(sk.parameters(), sk, aNtt, RandomSource.secure());
    }

    static Poly publicKeyShare(Parameters params, SecretKeyShare sk, Poly aNtt, RandomSource random) {
        Ring ring = params.ring();
        Poly e = ring.newPoly();
        ring.setSmall(new GaussianSampler(params.sigma()).sample(random, params.n()), e);
        ring.ntt(e);
        Poly sa = ring.newPoly();
        sk.multiplyNtt(aNtt, sa);
        ring.sub(e, sa, e);
        return e;
    }
}
