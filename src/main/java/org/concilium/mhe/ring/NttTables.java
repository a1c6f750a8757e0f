package org.concilium.mhe.ring;

/**
 * Negacyclic number-theoretic transform over Z_q[X]/(X^N + 1), with powers of a primitive 2N-th
 * root of unity in bit-reversed order and their Shoup companions (Harvey's lazy butterflies).
 */
public final class NttTables {
    private final Modulus mod;
    private final int n;
    private final long[] psi;
    private final long[] psiShoup;
    private final long[] psiInv;
    private final long[] psiInvShoup;
    private final long nInv;
    private final long nInvShoup;

    public NttTables(Modulus mod, int n) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("N must be a power of two");
        }
        long q = mod.value();
        if ((q - 1) % (2L * n) != 0) {
            throw new IllegalArgumentException("q = " + q + " is not 1 mod 2N for N = " + n);
        }
        this.mod = mod;
        this.n = n;
        long root = primitiveRoot(mod, 2L * n);
        long rootInv = mod.inverse(root);
        int logN = Integer.numberOfTrailingZeros(n);
        psi = new long[n];
        psiShoup = new long[n];
        psiInv = new long[n];
        psiInvShoup = new long[n];
        for (int i = 0; i < n; i++) {
            int r = Integer.reverse(i) >>> (32 - logN);
            psi[i] = mod.pow(root, r);
            psiShoup[i] = mod.shoup(psi[i]);
            psiInv[i] = mod.pow(rootInv, r);
            psiInvShoup[i] = mod.shoup(psiInv[i]);
        }
        nInv = mod.inverse(n);
        nInvShoup = mod.shoup(nInv);
    }

    /** Smallest primitive 2N-th root of unity (deterministic, so tables and vectors are reproducible). */
    static long primitiveRoot(Modulus mod, long order) {
        long q = mod.value();
        // order is a power of two: x has order exactly 2N iff x^N = -1
        for (long g = 2; g < q; g++) {
            long root = mod.pow(g, (q - 1) / order);
            if (mod.pow(root, order / 2) == q - 1) {
                long best = root;
                long r2 = mod.mul(root, root);
                long cur = root;
                for (long k = 1; k < order; k += 2) {
                    if (cur < best) {
                        best = cur;
                    }
                    cur = mod.mul(cur, r2);
                }
                return best;
            }
        }
        throw new IllegalStateException("no primitive root of order " + order);
    }

    public Modulus modulus() {
        return mod;
    }

    public int n() {
        return n;
    }

    /** In-place forward transform; input and output in [0, q). */
    public void forward(long[] a) {
        final long q = mod.value();
        final long twoQ = 2 * q;
        int t = n;
        for (int m = 1; m < n; m <<= 1) {
            t >>= 1;
            for (int i = 0; i < m; i++) {
                final int j1 = 2 * i * t;
                final int j2 = j1 + t;
                final long w = psi[m + i];
                final long ws = psiShoup[m + i];
                for (int j = j1; j < j2; j++) {
                    long x = a[j];
                    if (x >= twoQ) {
                        x -= twoQ;
                    }
                    long y = a[j + t];
                    long tt = y * w - Math.unsignedMultiplyHigh(y, ws) * q;
                    a[j] = x + tt;
                    a[j + t] = x - tt + twoQ;
                }
            }
        }
        for (int j = 0; j < n; j++) {
            long x = a[j];
            if (x >= twoQ) {
                x -= twoQ;
            }
            if (x >= q) {
                x -= q;
            }
            a[j] = x;
        }
    }

    /** In-place inverse transform; input and output in [0, q). */
    public void inverse(long[] a) {
        final long q = mod.value();
        final long twoQ = 2 * q;
        int t = 1;
        for (int m = n; m > 1; m >>= 1) {
            int j1 = 0;
            final int h = m >> 1;
            for (int i = 0; i < h; i++) {
                final long w = psiInv[h + i];
                final long ws = psiInvShoup[h + i];
                final int j2 = j1 + t;
                for (int j = j1; j < j2; j++) {
                    long u = a[j];
                    long v = a[j + t];
                    long s = u + v;
                    if (s >= twoQ) {
                        s -= twoQ;
                    }
                    a[j] = s;
                    long d = u - v + twoQ;
                    a[j + t] = d * w - Math.unsignedMultiplyHigh(d, ws) * q;
                }
                j1 += 2 * t;
            }
            t <<= 1;
        }
        for (int j = 0; j < n; j++) {
            long x = a[j] * nInv - Math.unsignedMultiplyHigh(a[j], nInvShoup) * q;
            a[j] = x >= q ? x - q : x;
        }
    }
}
