package org.concilium.mhe.rlwe;

import org.concilium.mhe.ring.Poly;

/**
 * An RLWE public key (b, a) = (-s a + e, a) in NTT form: the collective key of all parties after
 * CKG, or a single party's key (e.g. the querier's per-query PCKS target).
 */
public final class PublicKey {
    private final Parameters params;
    private final Poly b;
    private final Poly a;
    private volatile Fingerprint fingerprint;

    private PublicKey(Parameters params, Poly b, Poly a) {
        this.params = params;
        this.b = b;
        this.a = a;
    }

    /** Copies and validates the polynomials (NTT form, reduced). */
    public static PublicKey of(Parameters params, Poly b, Poly a) {
        if (!params.ring().isReduced(b) || !params.ring().isReduced(a)
                || b.limbCount() != params.limbCount() || a.limbCount() != params.limbCount()) {
            throw new IllegalArgumentException("public key polynomials not in R_Q");
        }
        return new PublicKey(params, b.copy(), a.copy());
    }

    public Parameters parameters() {
        return params;
    }

    public Poly b() {
        return b.copy();
    }

    public Poly a() {
        return a.copy();
    }

    /** out += b * u (all NTT form), without copying b. */
    public void multiplyAddB(Poly u, Poly out) {
        params.ring().mulCoeffsAdd(b, u, out);
    }

    /** out += a * u (all NTT form), without copying a. */
    public void multiplyAddA(Poly u, Poly out) {
        params.ring().mulCoeffsAdd(a, u, out);
    }

    public byte[] toBytes() {
        int body = 2 * Encoding.polyBytes(params);
        return new Encoding.Writer(params, ObjectKind.PUBLIC_KEY, body).putPoly(b).putPoly(a).finish();
    }

    public static PublicKey fromBytes(Parameters params, byte[] bytes) {
        Encoding.Reader r = new Encoding.Reader(bytes, params, ObjectKind.PUBLIC_KEY, 2 * Encoding.polyBytes(params));
        Poly b = r.getPoly();
        Poly a = r.getPoly();
        r.finish();
        return new PublicKey(params, b, a);
    }

    public Fingerprint fingerprint() {
        Fingerprint f = fingerprint;
        if (f == null) {
            f = Fingerprint.of(toBytes());
            fingerprint = f;
        }
        return f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && k.params.equals(params) && k.b.equals(b) && k.a.equals(a);
    }

    @Override
    public int hashCode() {
        return b.hashCode();
    }

    @Override
    public String toString() {
        return "PublicKey[" + params.name() + ", " + fingerprint() + "]";
    }
}
