package org.concilium.mhe.ring;

import java.util.Arrays;

/**
 * A polynomial of Z_Q[X]/(X^N + 1) in residue-number-system form: one array of N residues per
 * prime limb. Mutable scratch type of the ring layer; the layers above keep their polynomials
 * private and hand out copies only.
 */
public final class Poly {
    final long[][] limbs;

    public Poly(int limbCount, int n) {
        this.limbs = new long[limbCount][n];
    }

    Poly(long[][] limbs) {
        this.limbs = limbs;
    }

    /** Wraps (without copying) the given limbs; caller gives up ownership. */
    public static Poly wrap(long[][] limbs) {
        return new Poly(limbs);
    }

    public int limbCount() {
        return limbs.length;
    }

    public int n() {
        return limbs[0].length;
    }

    /** Direct view of one limb, for the ring layer's arithmetic and codecs. */
    public long[] limb(int j) {
        return limbs[j];
    }

    public Poly copy() {
        long[][] c = new long[limbs.length][];
        for (int j = 0; j < limbs.length; j++) {
            c[j] = limbs[j].clone();
        }
        return new Poly(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Poly p && Arrays.deepEquals(limbs, p.limbs);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(limbs);
    }

    @Override
    public String toString() {
        return "Poly(limbs=" + limbs.length + ", N=" + limbs[0].length + ")";
    }
}
