package org.concilium.privacy;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Distributed Skellam noise. Each of n sites adds {@code Poisson(μ/(2n)) − Poisson(μ/(2n))} to every slot of its
 * vector before encryption; Poisson variables add up, so the network sum carries exactly Skellam with variance μ
 * (the difference of two Poisson(μ/2)), and no party ever sees the total noise. Each share has mean 0 and
 * variance μ/n. Privacy of the released sum: {@link SkellamAccountant}.
 *
 * <p>Sampling uses double arithmetic (inversion below λ = 10, Hörmann's PTRS above), which is not bit-exact
 * against floating-point side channels; an exact integer sampler is future work (docs/privacy.md).
 */
public final class SkellamNoise {
    private final SecureRandom random;

    public SkellamNoise(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** One site's noise share for a vector of {@code slots} entries. */
    public long[] siteShare(int slots, double mu, int sites) {
        if (slots < 0) throw new IllegalArgumentException("slots must be >= 0");
        if (sites < 1) throw new IllegalArgumentException("sites must be >= 1");
        if (!(mu >= 0) || Double.isInfinite(mu)) throw new IllegalArgumentException("mu must be finite and >= 0");
        double lambda = mu / (2.0 * sites);
        long[] share = new long[slots];
        if (lambda == 0) return share;
        for (int i = 0; i < slots; i++) share[i] = poisson(lambda) - poisson(lambda);
        return share;
    }

    /** Returns a copy of {@code vector} with this site's noise share added (the input is not modified). */
    public long[] addShare(long[] vector, double mu, int sites) {
        long[] noise = siteShare(vector.length, mu, sites);
        long[] out = new long[vector.length];
        for (int i = 0; i < vector.length; i++) out[i] = Math.addExact(vector[i], noise[i]);
        return out;
    }

    long poisson(double lambda) {
        return lambda < 10 ? poissonInversion(lambda) : poissonPtrs(lambda);
    }

    private long poissonInversion(double lambda) {
        double u = random.nextDouble();
        long k = 0;
        double p = Math.exp(-lambda);
        double cdf = p;
        while (u > cdf && k < 1_000) {
            k++;
            p *= lambda / k;
            cdf += p;
        }
        return k;
    }

    /** W. Hörmann, "The transformed rejection method for generating Poisson random variables", 1993. */
    private long poissonPtrs(double lambda) {
        double slam = Math.sqrt(lambda);
        double loglam = Math.log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = random.nextDouble() - 0.5;
            double v = random.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b)
                    <= -lambda + k * loglam - logFactorial(k)) {
                return k;
            }
        }
    }

    static double logFactorial(long k) {
        if (k < 2) return 0;
        if (k < 20) {
            double f = 0;
            for (int i = 2; i <= k; i++) f += Math.log(i);
            return f;
        }
        double x = k + 1.0; // Stirling series for log Γ(x)
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI)
                + 1.0 / (12 * x) - 1.0 / (360 * x * x * x) + 1.0 / (1260 * Math.pow(x, 5));
    }
}
