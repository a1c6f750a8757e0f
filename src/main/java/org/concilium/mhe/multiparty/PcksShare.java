package org.concilium.mhe.multiparty;

import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Encoding;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.MalformedEncodingException;
import org.concilium.mhe.rlwe.ObjectKind;
import org.concilium.mhe.rlwe.Parameters;

/**
 * PCKS message: (h0, h1) = (s_i c1 + u_i b' + E_i, u_i a' + e_i), rescaled to the parameters'
 * transmit level and in coefficient form, switching the
 * ciphertext named by {@code ciphertext} towards the public key (b', a') named by {@code target}.
 */
public record PcksShare(Parameters parameters, Fingerprint ciphertext, Fingerprint target, int firstParty,
        int partyCount, Poly h0, Poly h1) implements PartyRange {
    public PcksShare {
        PartyRange.validate(parameters, firstParty, partyCount);
        int l = parameters.transmitLimbs();
        if (h0.limbCount() != l || h1.limbCount() != l || !parameters.ring().isReduced(h0)
                || !parameters.ring().isReduced(h1)) {
            throw new IllegalArgumentException("share must be reduced, over " + l + " limbs");
        }
        h0 = h0.copy();
        h1 = h1.copy();
    }

    @Override
    public Poly h0() {
        return h0.copy();
    }

    @Override
    public Poly h1() {
        return h1.copy();
    }

    Poly h0View() {
        return h0;
    }

    Poly h1View() {
        return h1;
    }

    public static int encodedLength(Parameters params) {
        return Encoding.HEADER_BYTES + bodyBytes(params) + Encoding.TRAILER_BYTES;
    }

    private static int bodyBytes(Parameters params) {
        return 4 + 2 * Fingerprint.LENGTH + 2 * Encoding.polyBytes(params, params.transmitLimbs());
    }

    public byte[] toBytes() {
        return new Encoding.Writer(parameters, ObjectKind.PCKS_SHARE, bodyBytes(parameters))
                .putShort(firstParty).putShort(partyCount).putBytes(ciphertext.toBytes()).putBytes(target.toBytes())
                .putPoly(h0).putPoly(h1).finish();
    }

    public static PcksShare fromBytes(Parameters params, byte[] bytes) {
        Encoding.Reader r = new Encoding.Reader(bytes, params, ObjectKind.PCKS_SHARE, bodyBytes(params));
        int first = r.getShort();
        int count = r.getShort();
        Fingerprint ct = Fingerprint.fromBytes(r.getBytes(Fingerprint.LENGTH));
        Fingerprint tg = Fingerprint.fromBytes(r.getBytes(Fingerprint.LENGTH));
        Poly p0 = r.getPoly(params.transmitLimbs());
        Poly p1 = r.getPoly(params.transmitLimbs());
        r.finish();
        try {
            return new PcksShare(params, ct, tg, first, count, p0, p1);
        } catch (IllegalArgumentException e) {
            throw new MalformedEncodingException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "PcksShare[parties " + firstParty + "+" + partyCount + ", ciphertext " + ciphertext + ", target "
                + target + "]";
    }
}
