package org.concilium.mhe.bfv;

import org.concilium.mhe.ring.Modulus;
import org.concilium.mhe.rlwe.Parameters;

/**
 * Integer SIMD encoding: N slots of signed integers, each taken mod t and centred in
 * (-t/2, t/2] on decoding. Slot i is the evaluation of the plaintext polynomial at the i-th
 * root of X^N + 1 in Z_t (bit-reversed order), so slot-wise sums survive homomorphic addition.
 */
public final class BatchEncoder {
    private final Parameters params;

    public BatchEncoder(Parameters params) {
        this.params = params;
    }

    /** Largest value a slot holds: floor(t / 2); the smallest is -(t - 1) / 2. */
    public long maxSlotValue() {
        return params.plaintextModulus() / 2;
    }

    public long minSlotValue() {
        return -((params.plaintextModulus() - 1) / 2);
    }

    /**
     * Encodes up to N signed values (missing slots are zero).
     *
     * @throws IllegalArgumentException if a value lies outside (-t/2, t/2]
     */
    public Plaintext encode(long[] values) {
        int n = params.n();
        if (values.length > n) {
            throw new IllegalArgumentException("at most " + n + " slots");
        }
        long t = params.plaintextModulus();
        long lo = minSlotValue();
        long hi = maxSlotValue();
        long[] m = new long[n];
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            if (v < lo || v > hi) {
                throw new IllegalArgumentException("slot " + i + " value " + v + " outside [" + lo + ", " + hi + "]");
            }
            m[i] = v < 0 ? v + t : v;
        }
        params.plaintextNtt().inverse(m);
        return new Plaintext(params, m);
    }

    /** Decodes all N slots to centred signed values. */
    public long[] decode(Plaintext pt) {
        if (!pt.parameters().equals(params)) {
            throw new IllegalArgumentException("plaintext under other parameters");
        }
        long[] v = pt.coefficients();
        params.plaintextNtt().forward(v);
        Modulus t = params.plaintextModulusArithmetic();
        long half = t.value() / 2;
        for (int i = 0; i < v.length; i++) {
            if (v[i] > half) {
                v[i] -= t.value();
            }
        }
        return v;
    }
}
