package org.concilium.mhe.ring;

/**
 * The ring R_Q = Z_Q[X]/(X^N + 1) with Q a product of NTT-friendly word-sized primes. Arithmetic
 * is limb-wise; every operation writes into a result polynomial and accepts aliasing.
 */
public final class Ring {
    private final int n;
    private final Modulus[] moduli;
    private final NttTables[] ntt;

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
