package org.concilium.mhe.bfv;

import org.concilium.mhe.rlwe.Parameters;

/** A plaintext polynomial of R_t in coefficient form (coefficients in [0, t)). Immutable. */
public final class Plaintext {
    private final Parameters params;
    private final long[] coeffs;

    Plaintext(Parameters params, long[] coeffs) {
        this.params = params;
        this.coeffs = coeffs;
    }

    public Parameters parameters() {
        return params;
    }

    public long[] coefficients() {
        return coeffs.clone();
    }

    long[] view() {
        return coeffs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Plaintext p && p.params.equals(params) && java.util.Arrays.equals(p.coeffs, coeffs);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(coeffs);
    }

    @Override
    public String toString() {
        return "Plaintext[" + params.name() + "]";
    }
}
