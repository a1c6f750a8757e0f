package org.concilium.mhe.ring;

import java.math.BigInteger;

/**
 * A word-sized prime modulus q &lt; 2^61 with the constants for Barrett and Shoup reduction.
 *
 * <p>The 2^61 limit leaves two bits of head room so that lazy NTT butterflies can keep values in
 * [0, 4q) in a signed {@code long} without overflow.
 */
public final class Modulus {
    /** Largest accepted modulus bit length. */
    public static final int MAX_BITS = 61;

    private final long q;
    private final int bits;
    // floor(2^128 / q) as two words
    private final long barrettHi;
    private final long barrettLo;
    private final long twoTo64ModQ;

    public Modulus(long q) {
        if (q < 3 || 64 - Long.numberOfLeadingZeros(q) > MAX_BITS) {
            throw new IllegalArgumentException("modulus must be in [3, 2^61): " + q);
        }
        this.q = q;
        this.bits = 64 - Long.numberOfLeadingZeros(q);
        BigInteger u = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(q));
        this.barrettHi = u.shiftRight(64).longValue();
        this.barrettLo = u.longValue();
        this.twoTo64ModQ = BigInteger.ONE.shiftLeft(64).mod(BigInteger.valueOf(q)).longValue();
    }

    public long value() {
        return q;
    }

    public int bitLength() {
        return bits;
    }

    /** a + b mod q for a, b in [0, q). */
    public long add(long a, long b) {
        long r = a + b;
        return r >= q ? r - q : r;
    }

    /** a - b mod q for a, b in [0, q). */
    public long sub(long a, long b) {
        long r = a - b;
        return r < 0 ? r + q : r;
    }

    public long neg(long a) {
        return a == 0 ? 0 : q - a;
    }

    /** a * b mod q for a, b in [0, q). */
    public long mul(long a, long b) {
        return reduce128(Math.unsignedMultiplyHigh(a, b), a * b);
    }

    /** (hi * 2^64 + lo) mod q, for any hi &lt; q (so the value is below q * 2^64). */
    public long reduce128(long hi, long lo) {
        // qhat = floor(x * floor(2^128/q) / 2^128), off from floor(x/q) by at most 2
        long c1 = Math.unsignedMultiplyHigh(lo, barrettLo);
        long a0 = lo * barrettHi;
        long a1 = Math.unsignedMultiplyHigh(lo, barrettHi);
        long b0 = hi * barrettLo;
        long b1 = Math.unsignedMultiplyHigh(hi, barrettLo);
        long mid = c1 + a0;
        long carry = Long.compareUnsigned(mid, c1) < 0 ? 1 : 0;
        long mid2 = mid + b0;
        carry += Long.compareUnsigned(mid2, mid) < 0 ? 1 : 0;
        long qhat = hi * barrettHi + a1 + b1 + carry;
        long r = lo - qhat * q;
        while (Long.compareUnsigned(r, q) >= 0) {
            r -= q;
        }
        return r;
    }

    /** Reduces an arbitrary unsigned 64-bit word. */
    public long reduceWord(long x) {
        return reduce128(0, x);
    }

    /** Reduces a signed value into [0, q). */
    public long reduceSigned(long x) {
        long r = reduceWord(x < 0 ? -x : x);
        return x < 0 ? neg(r) : r;
    }

    /** 2^64 mod q. */
    public long twoTo64() {
        return twoTo64ModQ;
    }

    /** Shoup companion floor(w * 2^64 / q) of a constant w in [0, q). */
    public long shoup(long w) {
        // floor(w * floor(2^128/q) / 2^64) is floor(w 2^64 / q) or one less; w * barrettHi < 2^64
        long s = w * barrettHi + Math.unsignedMultiplyHigh(w, barrettLo);
        long r = -s * q; // = w 2^64 - s q (mod 2^64), in [0, 2q)
        return Long.compareUnsigned(r, q) >= 0 ? s + 1 : s;
    }

    /** a * w mod q in [0, 2q) for any unsigned 64-bit a, given w' = shoup(w). */
    public long mulShoupLazy(long a, long w, long wShoup) {
        long qhat = Math.unsignedMultiplyHigh(a, wShoup);
        return a * w - qhat * q;
    }

    /** a * w mod q in [0, q) for any unsigned 64-bit a, given w' = shoup(w). */
    public long mulShoup(long a, long w, long wShoup) {
        long r = mulShoupLazy(a, w, wShoup);
        return r >= q ? r - q : r;
    }

    public long pow(long base, long exp) {
        long r = 1;
        long b = base % q;
        while (exp > 0) {
            if ((exp & 1) == 1) {
                r = mul(r, b);
            }
            b = mul(b, b);
            exp >>>= 1;
        }
        return r;
    }

    public long inverse(long a) {
        if (a % q == 0) {
            throw new ArithmeticException("0 has no inverse");
        }
        return pow(a, q - 2);
    }

    @Override
    public String toString() {
        return "Modulus(" + q + ")";
    }
}
