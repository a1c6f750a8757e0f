package org.concilium.mhe.rlwe;

import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.UniformSampler;

/**
 * An RLWE public key (b, a) = (-s a + e, a) in NTT form: the collective key of all parties after
 * CKG, or a single party's key (e.g. the querier's per-query PCKS target).
 */
public final class PublicKey {
    private static final int SEED_BYTES = 32;
    private final Parameters params;
    private final Poly b;
    private final Poly a;
    private final byte[] seedOfA; // null unless a was expanded from a seed
    private volatile Fingerprint fingerprint;

    private PublicKey(Parameters params, Poly b, Poly a, byte[] seedOfA) {
        this.params = params;
        this.b = b;
        this.a = a;
        this.seedOfA = seedOfA;
    }

    /** Copies and validates the polynomials (NTT form, reduced). */
    public static PublicKey of(Parameters params, Poly b, Poly a) {
        if (!params.ring().isReduced(b) || !params.ring().isReduced(a)
                || b.limbCount() != params.limbCount() || a.limbCount() != params.limbCount()) {
            throw new IllegalArgumentException("public key polynomials not in R_Q");
        }
        return new PublicKey(params, b.copy(), a.copy(), null);
    }

    /** A key whose a is the uniform polynomial expanded from {@code seed}: it travels as (seed, b). */
    static PublicKey seeded(Parameters params, Poly b, Poly aFromSeed, byte[] seed) {
        return new PublicKey(params, b.copy(), aFromSeed, seed.clone());
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
        return new PublicKey(params, b, a, null);
    }

    /** True when the key can be written in the compact (seed, b) form. */
    public boolean isSeeded() {
        return seedOfA != null;
    }

    /**
     * The compact form (seed of a, b): half the bytes of {@link #toBytes()}, for keys that are
     * sent once per query (the PCKS target). The reader re-expands a from the seed.
     */
    public byte[] toSeededBytes() {
        if (seedOfA == null) {
            throw new IllegalStateException("this public key has no seed for a");
        }
        return new Encoding.Writer(params, ObjectKind.SEEDED_PUBLIC_KEY, SEED_BYTES + Encoding.polyBytes(params))
                .putBytes(seedOfA).putPoly(b).finish();
    }

    public static PublicKey fromSeededBytes(Parameters params, byte[] bytes) {
        Encoding.Reader r = new Encoding.Reader(bytes, params, ObjectKind.SEEDED_PUBLIC_KEY,
                SEED_BYTES + Encoding.polyBytes(params));
        byte[] seed = r.getBytes(SEED_BYTES);
        Poly b = r.getPoly();
        r.finish();
        return new PublicKey(params, b, UniformSampler.sample(params.ring(), seed), seed);
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
