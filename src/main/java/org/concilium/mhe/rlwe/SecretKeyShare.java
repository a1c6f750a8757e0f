package org.concilium.mhe.rlwe;

import java.util.Arrays;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.RandomSource;
import org.concilium.mhe.ring.Ring;
import org.concilium.mhe.ring.TernarySampler;

/**
 * One party's share s_i of the collective secret s = sum s_i (ternary coefficients). A
 * single-party key (a querier's per-query key) is the degenerate share of a one-party key.
 * Never printed; raw bytes only through {@link #toBytes(SecretAccess)}.
 */
public final class SecretKeyShare {
    private final Parameters params;
    private final int partyIndex;
    private final byte[] coeffs; // -1, 0, 1
    private final Poly ntt;
    private final Poly nttShoup;

    private SecretKeyShare(Parameters params, int partyIndex, byte[] coeffs) {
        if (partyIndex < 0 || partyIndex >= params.maxParties()) {
            throw new IllegalArgumentException("party index out of range: " + partyIndex);
        }
        this.params = params;
        this.partyIndex = partyIndex;
        this.coeffs = coeffs;
        Ring ring = params.ring();
        long[] wide = new long[coeffs.length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = coeffs[i];
        }
        this.ntt = ring.newPoly();
        ring.setSmall(wide, ntt);
        ring.ntt(ntt);
        this.nttShoup = ring.shoupCompanion(ntt);
    }

    /** Samples a fresh share from the DRBG. */
    public static SecretKeyShare generate(Parameters params, int partyIndex) {
        return generate(params, partyIndex, RandomSource.secure());
    }

    static SecretKeyShare generate(Parameters params, int partyIndex, RandomSource random) {
        long[] s = TernarySampler.sample(random, params.n());
        byte[] c = new byte[s.length];
        for (int i = 0; i < s.length; i++) {
            c[i] = (byte) s[i];
        }
        return new SecretKeyShare(params, partyIndex, c);
    }

    public Parameters parameters() {
        return params;
    }

    public int partyIndex() {
        return partyIndex;
    }

    /** out = s_i * x for x in NTT form (the key-dependent part of every protocol share). */
    public void multiplyNtt(Poly x, Poly out) {
        params.ring().mulCoeffsShoup(ntt, nttShoup, x, out, false);
    }

    /** out += s_i * x for x in NTT form. */
    public void multiplyAddNtt(Poly x, Poly out) {
        params.ring().mulCoeffsShoup(ntt, nttShoup, x, out, true);
    }

    /** out += s_i * c1 of the ciphertext (NTT form, over out's limbs), without copying c1. */
    public void multiplyAddC1(Ciphertext ct, Poly out) {
        if (!ct.parameters().equals(params)) {
            throw new IllegalArgumentException("ciphertext under other parameters");
        }
        params.ring().mulCoeffsShoup(ntt, nttShoup, ct.c1View(), out, true);
    }

    static int bodyBytes(Parameters params) {
        return 2 + params.n() / 4;
    }

    /** Raw encoding (2 bits per coefficient). Needs the explicit capability; prefer {@link SealedSecretKey}. */
    public byte[] toBytes(SecretAccess access) {
        SecretAccess.check(access);
        byte[] packed = new byte[params.n() / 4];
        for (int i = 0; i < coeffs.length; i++) {
            int code = coeffs[i] == -1 ? 2 : coeffs[i];
            packed[i >>> 2] |= (byte) (code << (6 - 2 * (i & 3)));
        }
        byte[] out = new Encoding.Writer(params, ObjectKind.SECRET_KEY_SHARE, bodyBytes(params))
                .putShort(partyIndex).putBytes(packed).finish();
        Arrays.fill(packed, (byte) 0);
        return out;
    }

    public static SecretKeyShare fromBytes(Parameters params, byte[] bytes, SecretAccess access) {
        SecretAccess.check(access);
        Encoding.Reader r = new Encoding.Reader(bytes, params, ObjectKind.SECRET_KEY_SHARE, bodyBytes(params));
        int index = r.getShort();
        if (index >= params.maxParties()) {
            throw new MalformedEncodingException("party index out of range: " + index);
        }
        byte[] packed = r.getBytes(params.n() / 4);
        r.finish();
        byte[] c = new byte[params.n()];
        for (int i = 0; i < c.length; i++) {
            int code = (packed[i >>> 2] >>> (6 - 2 * (i & 3))) & 3;
            if (code == 3) {
                throw new MalformedEncodingException("invalid ternary code at coefficient " + i);
            }
            c[i] = (byte) (code == 2 ? -1 : code);
        }
        Arrays.fill(packed, (byte) 0);
        return new SecretKeyShare(params, index, c);
    }

    /** Constant-time comparison of the secret material (for tests of round trips). */
    public boolean sameSecretAs(SecretKeyShare other) {
        return other.params.equals(params) && other.partyIndex == partyIndex
                && java.security.MessageDigest.isEqual(toBytesUnchecked(), other.toBytesUnchecked());
    }

    private byte[] toBytesUnchecked() {
        return toBytes(SecretAccess.INSECURE_EXPORT);
    }

    @Override
    public String toString() {
        return "SecretKeyShare[party=" + partyIndex + ", params=" + params.name() + ", <redacted>]";
    }
}
