package org.concilium.mhe.ring;

/**
 * Discrete Gaussian over the integers, centred, with parameter sigma, truncated at
 * {@code floor(6 sigma)} (as SEAL and the HomomorphicEncryption.org standard do), sampled by a
 * cumulative distribution table with 63-bit resolution. Every output satisfies |x| &lt;= bound().
 */
public final class GaussianSampler {
    private final double sigma;
    private final int bound;
    private final long[] cdt; // cdt[k] = P(|x| <= k) * 2^63

    public GaussianSampler(double sigma) {
        if (!(sigma >= 1 && sigma <= 64)) {
            throw new IllegalArgumentException("sigma out of range: " + sigma);
        }
        this.sigma = sigma;
        this.bound = (int) Math.floor(6 * sigma);
        double[] w = new double[bound + 1];
        double total = 0;
        for (int k = 0; k <= bound; k++) {
            w[k] = Math.exp(-(double) k * k / (2 * sigma * sigma)) * (k == 0 ? 1 : 2);
            total += w[k];
        }
        cdt = new long[bound + 1];
        double acc = 0;
        for (int k = 0; k <= bound; k++) {
            acc += w[k] / total;
            cdt[k] = k == bound ? Long.MAX_VALUE : (long) Math.min(Math.scalb(acc, 63), Long.MAX_VALUE);
        }
    }

    public double sigma() {
        return sigma;
    }

    public int bound() {
        return bound;
    }

    public long[] sample(RandomSource random, int n) {
        long[] out = new long[n];
        byte[] buf = new byte[8 * n];
        random.nextBytes(buf);
        for (int i = 0; i < n; i++) {
            long w = 0;
            for (int b = 0; b < 8; b++) {
                w = (w << 8) | (buf[8 * i + b] & 0xFF);
            }
            long r = w >>> 1;
            long sign = w & 1;
            int mag = 0;
            // scan the whole table so the time does not depend on the sample
            for (int k = 0; k < bound; k++) {
                mag += (int) ((cdt[k] - r) >>> 63); // 1 while r > cdt[k]
            }
            long x = mag;
            out[i] = sign == 1 ? -x : x;
        }
        return out;
    }
}
