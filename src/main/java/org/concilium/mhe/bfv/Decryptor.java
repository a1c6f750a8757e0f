package org.concilium.mhe.bfv;

import org.concilium.mhe.ring.Modulus;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.Ring;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.SecretKeyShare;

/**
 * BFV decryption: m = round(t (c0 + c1 s) / Q) mod t. The rounding is computed from the RNS
 * residues without big integers: with y_j = x_j (Q/q_j)^-1 mod q_j, t x / Q = sum_j y_j t / q_j
 * - alpha t, so m = round(sum_j y_j t / q_j) mod t; doubles are exact enough because the value is
 * within 1/4 of an integer whenever the noise is inside the budget (docs/crypto.md).
 */
public final class Decryptor {
    private Decryptor() {
    }

    /** Decrypts with a secret key (a single-party key, or in tests the sum of all shares). */
    public static Plaintext decrypt(SecretKeyShare sk, Ciphertext ct) {
        Parameters params = ct.parameters();
        if (!sk.parameters().equals(params)) {
            throw new IllegalArgumentException("key and ciphertext under different parameters");
        }
        Poly phase = ct.c0();
        sk.multiplyAddC1(ct, phase); // over the ciphertext's limbs only
        params.ring().intt(phase);
        return decodePhase(params, phase);
    }

    /**
     * Scales a phase (Q_l / t) m + e (coefficient form, over the first l limbs) down to m; l is the
     * phase's limb count (full level, or the transmit level after key switching).
     */
    public static Plaintext decodePhase(Parameters params, Poly phase) {
        Ring ring = params.ring();
        int n = params.n();
        int limbs = phase.limbCount();
        if (limbs < 1 || limbs > ring.limbCount()) {
            throw new IllegalArgumentException("phase has " + limbs + " limbs");
        }
        long t = params.plaintextModulus();
        long[] m = new long[n];
        double[] sum = new double[n];
        for (int j = 0; j < limbs; j++) {
            Modulus mod = ring.modulus(j);
            long w = params.qHatInverse(limbs, j);
            long ws = mod.shoup(w);
            double f = params.tOverQ(j);
            long[] x = phase.limb(j);
            for (int i = 0; i < n; i++) {
                sum[i] += (double) mod.mulShoup(x[i], w, ws) * f;
            }
        }
        for (int i = 0; i < n; i++) {
            long r = (long) Math.floor(sum[i] + 0.5);
            m[i] = r % t;
        }
        return new Plaintext(params, m);
    }
}
