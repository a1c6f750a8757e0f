package org.concilium.mhe.rlwe;

import java.util.List;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.Ring;

/**
 * A degree-1 RLWE ciphertext (c0, c1) in NTT form with c0 + c1 s = (Q_l / t) m + e (mod Q_l) over
 * its first l limbs: fresh encryptions and their sums use all limbs, the output of PCKS the
 * parameters' transmit level. Immutable: accessors return copies.
 */
public final class Ciphertext {
    private final Parameters params;
    private final Poly c0;
    private final Poly c1;
    private volatile Fingerprint fingerprint;
    private volatile Fingerprint maskFingerprint;

    private Ciphertext(Parameters params, Poly c0, Poly c1) {
        this.params = params;
        this.c0 = c0;
        this.c1 = c1;
    }

    /** Copies and validates the polynomials. */
    public static Ciphertext of(Parameters params, Poly c0, Poly c1) {
        Ring ring = params.ring();
        if (c0.limbCount() != c1.limbCount() || c0.limbCount() < 1 || c0.limbCount() > params.limbCount()
                || !ring.isReduced(c0) || !ring.isReduced(c1)) {
            throw new IllegalArgumentException("ciphertext polynomials not in R_Q");
        }
        return new Ciphertext(params, c0.copy(), c1.copy());
    }

    /** Takes ownership of freshly computed polynomials (no copy); for this library's own layers. */
    static Ciphertext own(Parameters params, Poly c0, Poly c1) {
        return new Ciphertext(params, c0, c1);
    }

    public Parameters parameters() {
        return params;
    }

    /** Number of RNS limbs (the level); {@code parameters().limbCount()} for fresh ciphertexts. */
    public int limbs() {
        return c0.limbCount();
    }

    public Poly c0() {
        return c0.copy();
    }

    public Poly c1() {
        return c1.copy();
    }

    Poly c1View() {
        return c1;
    }

    /** Homomorphic addition: decrypts to the slot-wise sum mod t. */
    public Ciphertext add(Ciphertext other) {
        requireSameParameters(other);
        Ring ring = params.ring();
        Poly d0 = ring.newPoly();
        Poly d1 = ring.newPoly();
        ring.add(c0, other.c0, d0);
        ring.add(c1, other.c1, d1);
        return new Ciphertext(params, d0, d1);
    }

    /** Sum of a non-empty list of ciphertexts under the same key. */
    public static Ciphertext sum(List<Ciphertext> cts) {
        if (cts.isEmpty()) {
            throw new IllegalArgumentException("nothing to sum");
        }
        Ciphertext first = cts.get(0);
        Ring ring = first.params.ring();
        Poly d0 = first.c0.copy();
        Poly d1 = first.c1.copy();
        for (int i = 1; i < cts.size(); i++) {
            Ciphertext c = cts.get(i);
            first.requireSameParameters(c);
            ring.add(d0, c.c0, d0);
            ring.add(d1, c.c1, d1);
        }
        return new Ciphertext(first.params, d0, d1);
    }

    private void requireSameParameters(Ciphertext other) {
        if (!other.params.equals(params) || other.limbs() != limbs()) {
            throw new IllegalArgumentException("ciphertexts under different parameters or levels");
        }
    }

    /** Encoded size of a full-level ciphertext. */
    public static int encodedLength(Parameters params) {
        return encodedLength(params, params.limbCount());
    }

    public static int encodedLength(Parameters params, int limbs) {
        return Encoding.HEADER_BYTES + bodyBytes(params, limbs) + Encoding.TRAILER_BYTES;
    }

    private static int bodyBytes(Parameters params, int limbs) {
        return 1 + 2 * Encoding.polyBytes(params, limbs);
    }

    /** Body: level (1 byte) | c0 | c1, each packed over {@code level} limbs. */
    public byte[] toBytes() {
        return new Encoding.Writer(params, ObjectKind.CIPHERTEXT, bodyBytes(params, limbs()))
                .putByte(limbs()).putPoly(c0).putPoly(c1).finish();
    }

    public static Ciphertext fromBytes(Parameters params, byte[] bytes) {
        int level = Encoding.Reader.peekBody(bytes, 0);
        if (level < 1 || level > params.limbCount()) {
            level = params.limbCount(); // let the reader report the precise header or length problem
        }
        Encoding.Reader r = new Encoding.Reader(bytes, params, ObjectKind.CIPHERTEXT, bodyBytes(params, level));
        if (r.getByte() != level) {
            throw new MalformedEncodingException("invalid ciphertext level");
        }
        Poly c0 = r.getPoly(level);
        Poly c1 = r.getPoly(level);
        r.finish();
        return new Ciphertext(params, c0, c1);
    }

    /** SHA-256 of the encoding: what key-switch shares are bound to. */
    public Fingerprint fingerprint() {
        Fingerprint f = fingerprint;
        if (f == null) {
            computeFingerprints();
            f = fingerprint;
        }
        return f;
    }

    /**
     * SHA-256 over the header, the level and c1 alone: c1 is the only part a key-switch share
     * multiplies by the secret, so re-randomising c0 must not unlock a second share.
     */
    public Fingerprint maskFingerprint() {
        Fingerprint f = maskFingerprint;
        if (f == null) {
            computeFingerprints();
            f = maskFingerprint;
        }
        return f;
    }

    private void computeFingerprints() {
        byte[] enc = toBytes();
        int headerAndLevel = Encoding.HEADER_BYTES + 1;
        int c1Start = headerAndLevel + Encoding.polyBytes(params, limbs());
        int c1Len = Encoding.polyBytes(params, limbs());
        byte[] mask = new byte[headerAndLevel + c1Len];
        System.arraycopy(enc, 0, mask, 0, headerAndLevel);
        System.arraycopy(enc, c1Start, mask, headerAndLevel, c1Len);
        maskFingerprint = Fingerprint.of(mask);
        fingerprint = Fingerprint.of(enc);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ciphertext c && c.params.equals(params) && c.c0.equals(c0) && c.c1.equals(c1);
    }

    @Override
    public int hashCode() {
        return c0.hashCode();
    }

    @Override
    public String toString() {
        return "Ciphertext[" + params.name() + "]";
    }
}
