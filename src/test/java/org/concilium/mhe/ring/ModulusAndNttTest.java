package org.concilium.mhe.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.api.Test;

class ModulusAndNttTest {
    private static final long[] PRIMES = {65537L, 1125899906826241L, 18014398509309953L, 1152921504606830593L, 4295294977L};

    @Test
    void barrettAndShoupAgreeWithBigInteger() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (long p : PRIMES) {
            Modulus m = new Modulus(p);
            BigInteger bp = BigInteger.valueOf(p);
            for (int i = 0; i < 20_000; i++) {
                long a = rnd.nextLong(p);
                long b = rnd.nextLong(p);
                long expected = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(bp).longValue();
                assertEquals(expected, m.mul(a, b));
                assertEquals(expected, m.mulShoup(a, b, m.shoup(b)));
                assertEquals(BigInteger.valueOf(b).shiftLeft(64).divide(bp).longValue(), m.shoup(b));
                long hi = rnd.nextLong(p);
                long lo = rnd.nextLong();
                BigInteger x = BigInteger.valueOf(hi).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
                assertEquals(x.mod(bp).longValue(), m.reduce128(hi, lo));
                long any = rnd.nextLong();
                assertEquals(new BigInteger(Long.toUnsignedString(any)).multiply(BigInteger.valueOf(b)).mod(bp).longValue(),
                        m.mulShoup(any, b, m.shoup(b)));
                assertEquals(BigInteger.valueOf(any).mod(bp).longValue(), m.reduceSigned(any));
            }
        }
    }

    @Test
    void rejectsModuliAbove61Bits() {
        assertThrows(IllegalArgumentException.class, () -> new Modulus(1L << 61));
        assertThrows(IllegalArgumentException.class, () -> new Modulus(2));
    }

    @Test
    void inverseTransformUndoesForwardForEveryNamedPrime() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (NamedParameters np : NamedParameters.values()) {
            Parameters params = np.parameters();
            Ring ring = params.ring();
            Poly p = ring.newPoly();
            for (int j = 0; j < ring.limbCount(); j++) {
                long q = ring.modulus(j).value();
                for (int i = 0; i < ring.n(); i++) {
                    p.limb(j)[i] = rnd.nextLong(q);
                }
            }
            Poly copy = p.copy();
            ring.ntt(p);
            ring.intt(p);
            assertEquals(copy, p, np.name());
        }
    }

    @Test
    void nttProductIsNegacyclicConvolution() {
        int n = 1024;
        long q = 1125899906826241L;
        Modulus m = new Modulus(q);
        NttTables ntt = new NttTables(m, n);
        SplittableRandom rnd = new SplittableRandom(3);
        long[] a = new long[n];
        long[] b = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextLong(q);
            b[i] = rnd.nextLong(q);
        }
        long[] expected = new long[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                long prod = m.mul(a[i], b[k]);
                int idx = i + k;
                if (idx < n) {
                    expected[idx] = m.add(expected[idx], prod);
                } else {
                    expected[idx - n] = m.sub(expected[idx - n], prod);
                }
            }
        }
        long[] fa = a.clone();
        long[] fb = b.clone();
        ntt.forward(fa);
        ntt.forward(fb);
        long[] c = new long[n];
        for (int i = 0; i < n; i++) {
            c[i] = m.mul(fa[i], fb[i]);
        }
        ntt.inverse(c);
        assertArrayEquals(expected, c);
    }

    @Test
    void rescalingDividesByTheDroppedPrimesWithRounding() {
        long[] primes = {1152921504606830593L, 1152921504606748673L, 1152921504606683137L};
        Ring ring = new Ring(1024, primes);
        BigInteger q = BigInteger.ONE;
        for (long p : primes) {
            q = q.multiply(BigInteger.valueOf(p));
        }
        java.util.Random rnd = new java.util.Random(4);
        BigInteger[] x = new BigInteger[1024];
        Poly p = ring.newPoly();
        for (int i = 0; i < 1024; i++) {
            x[i] = new BigInteger(q.bitLength() + 8, rnd).mod(q);
            for (int j = 0; j < 3; j++) {
                p.limb(j)[i] = x[i].mod(BigInteger.valueOf(primes[j])).longValue();
            }
        }
        for (int k = 1; k <= 2; k++) {
            Poly r = ring.rescaleTo(p, k);
            assertEquals(k, r.limbCount());
            BigInteger qk = BigInteger.ONE;
            for (int j = 0; j < k; j++) {
                qk = qk.multiply(BigInteger.valueOf(primes[j]));
            }
            for (int i = 0; i < 1024; i++) {
                // exact: round(x Q_k / Q); allowed error < 1 in total, i.e. the residue differs by at most 1
                BigInteger exact = x[i].multiply(qk).shiftLeft(1).add(q).divide(q.shiftLeft(1));
                for (int j = 0; j < k; j++) {
                    BigInteger pj = BigInteger.valueOf(primes[j]);
                    long d = BigInteger.valueOf(r.limb(j)[i]).subtract(exact).mod(pj).longValue();
                    org.junit.jupiter.api.Assertions.assertTrue(d == 0 || d == 1 || d == primes[j] - 1, "coefficient " + i);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ring.rescaleTo(p, 0));
    }

    @Test
    void nttRequiresPrimeCongruentToOneMod2N() {
        assertThrows(IllegalArgumentException.class, () -> new NttTables(new Modulus(65537L), 1 << 16));
    }
}
