package org.concilium.mhe.ring;

/**
 * Smudging (noise-flooding) noise: each coefficient uniform in [-2^b, 2^b), written in RNS form.
 * Uniform rather than Gaussian because it is sampled exactly from whole random words and its
 * statistical distance to a shifted copy is exactly |shift| / 2^(b+1) (see docs/crypto.md).
 */
public final class SmudgingSampler {
    private final Ring ring;
    private final int bits;
    private final int words;
    private final int bytesPerCoeff;
    private final long topMask;
    private final long[] offset; // 2^b mod q_j
    private final long[][] wordWeight; // 2^(64k) mod q_j and its Shoup companion, per limb j
    private final long[][] wordWeightShoup;

    public SmudgingSampler(Ring ring, int bits) {
        if (bits < 1 || bits > 250) {
            throw new IllegalArgumentException("smudging bits out of range: " + bits);
        }
        this.ring = ring;
        this.bits = bits;
        int total = bits + 1;
        this.words = (total + 63) / 64;
        this.bytesPerCoeff = (total + 7) / 8;
        int topBits = total - 64 * (words - 1);
        this.topMask = topBits == 64 ? -1L : (1L << topBits) - 1;
        this.offset = new long[ring.limbCount()];
        this.wordWeight = new long[ring.limbCount()][words];
        this.wordWeightShoup = new long[ring.limbCount()][words];
        for (int j = 0; j < offset.length; j++) {
            Modulus m = ring.modulus(j);
            offset[j] = m.pow(2, bits);
            long weight = 1;
            for (int k = 0; k < words; k++) {
                wordWeight[j][k] = weight;
                wordWeightShoup[j][k] = m.shoup(weight);
                weight = m.mul(weight, m.twoTo64());
            }
        }
    }

    public int bits() {
        return bits;
    }

    /** Returns a fresh smudging polynomial in coefficient form. */
    public Poly sample(RandomSource random) {
        int n = ring.n();
        int limbs = ring.limbCount();
        Poly p = ring.newPoly();
        byte[] buf = new byte[bytesPerCoeff * n];
        random.nextBytes(buf);
        long[] w = new long[words];
        for (int i = 0; i < n; i++) {
            // little-endian: byte k of the coefficient goes to word k / 8; only b + 1 bits are kept
            int base = bytesPerCoeff * i;
            java.util.Arrays.fill(w, 0);
            for (int k = 0; k < bytesPerCoeff; k++) {
                w[k >>> 3] |= (long) (buf[base + k] & 0xFF) << (8 * (k & 7));
            }
            w[words - 1] &= topMask; // most significant word
            for (int j = 0; j < limbs; j++) {
                // sum_k (w_k mod q) (2^(64k) mod q): Shoup products accept any 64-bit w_k
                Modulus m = ring.modulus(j);
                long[] ww = wordWeight[j];
                long[] ws = wordWeightShoup[j];
                long acc = 0;
                for (int k = 0; k < words; k++) {
                    acc = m.add(acc, m.mulShoup(w[k], ww[k], ws[k]));
                }
                p.limb(j)[i] = m.sub(acc, offset[j]);
            }
        }
        return p;
    }
}
