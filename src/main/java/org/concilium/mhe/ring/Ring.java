package org.concilium.mhe.ring;

/**
 * The ring R_Q = Z_Q[X]/(X^N + 1) with Q a product of NTT-friendly word-sized primes. Arithmetic
 * is limb-wise; every operation writes into a result polynomial and accepts aliasing.
 */
public final class Ring {
    private final int n;
    private final Modulus[] moduli;
    private final NttTables[] ntt;
    // rescaling by the last limb of a level: q_L^-1 mod q_j (and Shoup), floor(q_L / 2) mod q_j
    private final long[][] lastInv;
    private final long[][] lastInvShoup;
    private final long[][] halfLast;

    public Ring(int n, long[] primes) {
        if (primes.length == 0) {
            throw new IllegalArgumentException("at least one modulus");
        }
        this.n = n;
        this.moduli = new Modulus[primes.length];
        this.ntt = new NttTables[primes.length];
        for (int j = 0; j < primes.length; j++) {
            moduli[j] = new Modulus(primes[j]);
            ntt[j] = new NttTables(moduli[j], n);
        }
        lastInv = new long[primes.length][];
        lastInvShoup = new long[primes.length][];
        halfLast = new long[primes.length][];
        for (int l = 1; l < primes.length; l++) {
            lastInv[l] = new long[l];
            lastInvShoup[l] = new long[l];
            halfLast[l] = new long[l];
            for (int j = 0; j < l; j++) {
                Modulus m = moduli[j];
                lastInv[l][j] = m.inverse(m.reduceWord(primes[l]));
                lastInvShoup[l][j] = m.shoup(lastInv[l][j]);
                halfLast[l][j] = m.reduceWord(primes[l] / 2);
            }
        }
    }

    /**
     * Modulus switching: returns round(p * Q_k / Q_l) for a polynomial p in coefficient form over
     * the first l limbs, as a new polynomial over the first k &lt;= l limbs. Dropping one limb q_L
     * computes floor((x + floor(q_L/2)) / q_L) exactly in RNS; each drop adds at most 1/2 + 1/q_L
     * of rounding error, so the total is below 1 per coefficient.
     */
    public Poly rescaleTo(Poly p, int k) {
        return rescale(p, k, true);
    }

    /** As {@link #rescaleTo} but consumes p: its limbs are overwritten and reused. */
    public Poly rescaleInPlace(Poly p, int k) {
        return rescale(p, k, false);
    }

    private Poly rescale(Poly p, int k, boolean copy) {
        int l = p.limbs.length;
        if (k < 1 || k > l) {
            throw new IllegalArgumentException("cannot rescale " + l + " limbs to " + k);
        }
        long[][] cur = new long[l][];
        for (int j = 0; j < l; j++) {
            cur[j] = copy ? p.limbs[j].clone() : p.limbs[j];
        }
        for (int last = l - 1; last >= k; last--) {
            Modulus ml = moduli[last];
            long half = ml.value() / 2;
            long[] xl = cur[last];
            for (int i = 0; i < n; i++) {
                xl[i] = ml.add(xl[i], half); // y_L = (x + floor(q_L/2)) mod q_L
            }
            for (int j = 0; j < last; j++) {
                Modulus m = moduli[j];
                long q = m.value();
                long h = halfLast[last][j];
                long w = lastInv[last][j];
                long ws = lastInvShoup[last][j];
                long[] xj = cur[j];
                for (int i = 0; i < n; i++) {
                    long y = m.add(xj[i], h);
                    long r = xl[i] >= q ? m.reduceWord(xl[i]) : xl[i];
                    long d = y - r;
                    if (d < 0) {
                        d += q;
                    }
                    xj[i] = m.mulShoup(d, w, ws);
                }
            }
        }
        long[][] out = new long[k][];
        System.arraycopy(cur, 0, out, 0, k);
        return new Poly(out);
    }

    public int n() {
        return n;
    }

    public int limbCount() {
        return moduli.length;
    }

    public Modulus modulus(int j) {
        return moduli[j];
    }

    public NttTables ntt(int j) {
        return ntt[j];
    }

    public Poly newPoly() {
        return new Poly(moduli.length, n);
    }

    /** A zero polynomial over the first {@code limbs} limbs. */
    public Poly newPoly(int limbs) {
        return new Poly(limbs, n);
    }

    public void ntt(Poly p) {
        for (int j = 0; j < p.limbs.length; j++) {
            ntt[j].forward(p.limbs[j]);
        }
    }

    public void intt(Poly p) {
        for (int j = 0; j < p.limbs.length; j++) {
            ntt[j].inverse(p.limbs[j]);
        }
    }

    public void add(Poly a, Poly b, Poly out) {
        for (int j = 0; j < out.limbs.length; j++) {
            long q = moduli[j].value();
            long[] x = a.limbs[j];
            long[] y = b.limbs[j];
            long[] z = out.limbs[j];
            for (int i = 0; i < n; i++) {
                long r = x[i] + y[i];
                z[i] = r >= q ? r - q : r;
            }
        }
    }

    public void sub(Poly a, Poly b, Poly out) {
        for (int j = 0; j < out.limbs.length; j++) {
            long q = moduli[j].value();
            long[] x = a.limbs[j];
            long[] y = b.limbs[j];
            long[] z = out.limbs[j];
            for (int i = 0; i < n; i++) {
                long r = x[i] - y[i];
                z[i] = r < 0 ? r + q : r;
            }
        }
    }

    public void neg(Poly a, Poly out) {
        for (int j = 0; j < out.limbs.length; j++) {
            long q = moduli[j].value();
            long[] x = a.limbs[j];
            long[] z = out.limbs[j];
            for (int i = 0; i < n; i++) {
                z[i] = x[i] == 0 ? 0 : q - x[i];
            }
        }
    }

    /** Coefficient-wise product (a product of polynomials when both are in NTT form). */
    public void mulCoeffs(Poly a, Poly b, Poly out) {
        for (int j = 0; j < out.limbs.length; j++) {
            Modulus m = moduli[j];
            long[] x = a.limbs[j];
            long[] y = b.limbs[j];
            long[] z = out.limbs[j];
            for (int i = 0; i < n; i++) {
                z[i] = m.mul(x[i], y[i]);
            }
        }
    }

    /** out += a * b coefficient-wise. */
    public void mulCoeffsAdd(Poly a, Poly b, Poly out) {
        for (int j = 0; j < out.limbs.length; j++) {
            Modulus m = moduli[j];
            long q = m.value();
            long[] x = a.limbs[j];
            long[] y = b.limbs[j];
            long[] z = out.limbs[j];
            for (int i = 0; i < n; i++) {
                long r = z[i] + m.mul(x[i], y[i]);
                z[i] = r >= q ? r - q : r;
            }
        }
    }

    /** Shoup companions of a fixed operand (for repeated products with {@link #mulCoeffsShoupAdd}). */
    public Poly shoupCompanion(Poly a) {
        Poly out = new Poly(a.limbs.length, n);
        for (int j = 0; j < a.limbs.length; j++) {
            Modulus m = moduli[j];
            for (int i = 0; i < n; i++) {
                out.limbs[j][i] = m.shoup(a.limbs[j][i]);
            }
        }
        return out;
    }

    /** out = a * b (or out += a * b when {@code accumulate}) coefficient-wise, for a fixed a with companions aShoup. */
    public void mulCoeffsShoup(Poly a, Poly aShoup, Poly b, Poly out, boolean accumulate) {
        for (int j = 0; j < out.limbs.length; j++) {
            long q = moduli[j].value();
            long[] x = a.limbs[j];
            long[] xs = aShoup.limbs[j];
            long[] y = b.limbs[j];
            long[] z = out.limbs[j];
            for (int i = 0; i < n; i++) {
                long yi = y[i];
                long r = yi * x[i] - Math.unsignedMultiplyHigh(yi, xs[i]) * q;
                if (r >= q) {
                    r -= q;
                }
                if (accumulate) {
                    r += z[i];
                    if (r >= q) {
                        r -= q;
                    }
                }
                z[i] = r;
            }
        }
    }

    /** out = a * c for a scalar given by its residues c[j] mod q_j. */
    public void mulScalar(Poly a, long[] c, Poly out) {
        for (int j = 0; j < out.limbs.length; j++) {
            Modulus m = moduli[j];
            long w = c[j];
            long ws = m.shoup(w);
            long[] x = a.limbs[j];
            long[] z = out.limbs[j];
            for (int i = 0; i < n; i++) {
                z[i] = m.mulShoup(x[i], w, ws);
            }
        }
    }

    /** Writes the small signed coefficients into every limb. */
    public void setSmall(long[] coeffs, Poly out) {
        for (int j = 0; j < out.limbs.length; j++) {
            long q = moduli[j].value();
            long[] z = out.limbs[j];
            for (int i = 0; i < n; i++) {
                long c = coeffs[i];
                z[i] = c < 0 ? c + q : c;
            }
        }
    }

    /** True when every residue is reduced (below its modulus). */
    public boolean isReduced(Poly p) {
        if (p.limbs.length > moduli.length) {
            return false;
        }
        for (int j = 0; j < p.limbs.length; j++) {
            long q = moduli[j].value();
            if (p.limbs[j].length != n) {
                return false;
            }
            for (long v : p.limbs[j]) {
                if (v < 0 || v >= q) {
                    return false;
                }
            }
        }
        return true;
    }
}
