package org.concilium.mhe.bfv;

import org.concilium.mhe.ring.GaussianSampler;
import org.concilium.mhe.ring.Modulus;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.RandomSource;
import org.concilium.mhe.ring.Ring;
import org.concilium.mhe.ring.TernarySampler;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.PublicKey;

/**
 * BFV public-key encryption: c = (b u + e0 + Delta m, a u + e1) with u ternary and e0, e1 from the
 * discrete Gaussian, all randomness from the DRBG. Thread-confined (one per thread).
 */
public final class Encryptor {
    private final Parameters params;
    private final Poly b;
    private final Poly a;
    private final Poly bShoup;
    private final Poly aShoup;
    private final RandomSource random;
    private final GaussianSampler gaussian;
    private final long[] delta;
    private final long[] deltaShoup;

    public Encryptor(PublicKey pk) {
        this(pk, RandomSource.secure());
    }

    /** Test seam for known-answer vectors; production code uses the DRBG constructor. */
    Encryptor(PublicKey pk, RandomSource random) {
        this.params = pk.parameters();
        this.b = pk.b();
        this.a = pk.a();
        this.bShoup = params.ring().shoupCompanion(b);
        this.aShoup = params.ring().shoupCompanion(a);
        this.random = random;
        this.gaussian = new GaussianSampler(params.sigma());
        this.delta = params.deltaRns();
        this.deltaShoup = new long[delta.length];
        for (int j = 0; j < delta.length; j++) {
            deltaShoup[j] = params.ring().modulus(j).shoup(delta[j]);
        }
    }

    public Ciphertext encrypt(Plaintext pt) {
        if (!pt.parameters().equals(params)) {
            throw new IllegalArgumentException("plaintext under other parameters");
        }
        Ring ring = params.ring();
        int n = params.n();
        Poly u = ring.newPoly();
        ring.setSmall(TernarySampler.sample(random, n), u);
        ring.ntt(u);
        Poly c0 = ring.newPoly();
        ring.setSmall(gaussian.sample(random, n), c0);
        long[] m = pt.view();
        for (int j = 0; j < ring.limbCount(); j++) {
            Modulus mod = ring.modulus(j);
            long[] limb = c0.limb(j);
            long w = delta[j];
            long ws = deltaShoup[j];
            for (int i = 0; i < n; i++) {
                limb[i] = mod.add(limb[i], mod.mulShoup(m[i], w, ws));
            }
        }
        ring.ntt(c0);
        ring.mulCoeffsShoup(b, bShoup, u, c0, true);
        Poly c1 = ring.newPoly();
        ring.setSmall(gaussian.sample(random, n), c1);
        ring.ntt(c1);
        ring.mulCoeffsShoup(a, aShoup, u, c1, true);
        return Ciphertext.of(params, c0, c1);
    }
}
