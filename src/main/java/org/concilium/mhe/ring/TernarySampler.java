package org.concilium.mhe.ring;

/** Uniform ternary polynomials (coefficients in {-1, 0, 1}) for secrets and encryption randomness. */
public final class TernarySampler {
    private TernarySampler() {
    }

    public static long[] sample(RandomSource random, int n) {
        long[] out = new long[n];
        byte[] buf = new byte[n + n / 2];
        int pos = buf.length;
        int i = 0;
        while (i < n) {
            if (pos == buf.length) {
                random.nextBytes(buf);
                pos = 0;
            }
            int b = buf[pos++] & 0xFF;
            if (b < 255) { // 255 = 3 * 85: reject one value for exact uniformity
                out[i++] = (b % 3) - 1;
            }
        }
        return out;
    }
}
