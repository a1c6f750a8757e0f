package org.concilium.mhe.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private final Parameters params = NamedParameters.N4096_Q108_T65537.parameters();

    @Test
    void gaussianIsBoundedAndHasTheRightWidth() {
        GaussianSampler g = new GaussianSampler(3.2);
        assertEquals(19, g.bound());
        long[] x = g.sample(RandomSource.secure(), 200_000);
        double sum = 0;
        double sq = 0;
        for (long v : x) {
            assertTrue(Math.abs(v) <= 19);
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / x.length;
        double sd = Math.sqrt(sq / x.length - mean * mean);
        assertEquals(0, mean, 0.05);
        assertEquals(3.2, sd, 0.05);
    }

    @Test
    void ternaryIsUniformOverMinusOneZeroOne() {
        long[] x = TernarySampler.sample(RandomSource.secure(), 300_000);
        int[] counts = new int[3];
        for (long v : x) {
            counts[(int) v + 1]++;
        }
        for (int c : counts) {
            assertEquals(100_000, c, 1500);
        }
    }

    @Test
    void smudgingIsUniformInItsInterval() {
        checkSmudging(params, 70); // two 64-bit words per coefficient
        Parameters def = NamedParameters.N8192_Q180_T33.parameters();
        checkSmudging(def, def.smudgingBits()); // three words, the default set's 2^139
    }

    private static void checkSmudging(Parameters p, int bits) {
        Ring ring = p.ring();
        Poly poly = new SmudgingSampler(ring, bits).sample(RandomSource.secure());
        BigInteger q = p.modulusQ();
        long[] primes = p.primes();
        BigInteger bound = BigInteger.ONE.shiftLeft(bits);
        int above = 0;
        int negative = 0;
        for (int i = 0; i < ring.n(); i++) {
            BigInteger x = BigInteger.ZERO;
            for (int j = 0; j < primes.length; j++) {
                BigInteger pj = BigInteger.valueOf(primes[j]);
                BigInteger qj = q.divide(pj);
                x = x.add(qj.multiply(qj.modInverse(pj)).multiply(BigInteger.valueOf(poly.limb(j)[i])));
            }
            x = x.mod(q);
            if (x.compareTo(q.shiftRight(1)) > 0) {
                x = x.subtract(q);
            }
            assertTrue(x.compareTo(bound.negate()) >= 0 && x.compareTo(bound) < 0, "coefficient " + i + " out of range");
            if (x.abs().compareTo(bound.shiftRight(1)) > 0) {
                above++;
            }
            if (x.signum() < 0) {
                negative++;
            }
        }
        assertEquals(ring.n() / 2, above, ring.n() / 10); // half the mass beyond 2^(b-1)
        assertEquals(ring.n() / 2, negative, ring.n() / 10);
    }

    @Test
    void crpIsDeterministicInTheSeedAndReduced() {
        Ring ring = params.ring();
        Poly a = UniformSampler.sample(ring, new byte[] {1, 2, 3});
        Poly b = UniformSampler.sample(ring, new byte[] {1, 2, 3});
        Poly c = UniformSampler.sample(ring, new byte[] {1, 2, 4});
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(ring.isReduced(a));
        assertArrayEquals(a.limb(0), b.limb(0));
    }
}
