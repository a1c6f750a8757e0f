package org.concilium.mhe.multiparty;

import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Encoding;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.MalformedEncodingException;
import org.concilium.mhe.rlwe.ObjectKind;
import org.concilium.mhe.rlwe.Parameters;

/**
 * CKS message: h_i = s_i c1 + E_i (E_i smudging), rescaled to the parameters' transmit level and
 * in coefficient form, for the ciphertext named by {@code ciphertext}.
 */
public record CksShare(Parameters parameters, Fingerprint ciphertext, int firstParty, int partyCount, Poly share)
        implements PartyRange {
    public CksShare {
        PartyRange.validate(parameters, firstParty, partyCount);
        if (share.limbCount() != parameters.transmitLimbs() || !parameters.ring().isReduced(share)) {
            throw new IllegalArgumentException("share must be reduced, over " + parameters.transmitLimbs() + " limbs");
        }
        share = share.copy();
    }

    @Override
    public Poly share() {
        return share.copy();
    }

    Poly view() {
        return share;
    }

    public static int encodedLength(Parameters params) {
        return Encoding.HEADER_BYTES + bodyBytes(params) + Encoding.TRAILER_BYTES;
    }

    private static int bodyBytes(Parameters params) {
        return 4 + Fingerprint.LENGTH + Encoding.polyBytes(params, params.transmitLimbs());
    }

    public byte[] toBytes() {
        return new Encoding.Writer(parameters, ObjectKind.CKS_SHARE, bodyBytes(parameters))
                .putShort(firstParty).putShort(partyCount).putBytes(ciphertext.toBytes()).putPoly(share).finish();
    }

    public static CksShare fromBytes(Parameters params, byte[] bytes) {
        Encoding.Reader r = new Encoding.Reader(bytes, params, ObjectKind.CKS_SHARE, bodyBytes(params));
        int first = r.getShort();
        int count = r.getShort();
        Fingerprint fp = Fingerprint.fromBytes(r.getBytes(Fingerprint.LENGTH));
        Poly p = r.getPoly(params.transmitLimbs());
        r.finish();
        try {
            return new CksShare(params, fp, first, count, p);
        } catch (IllegalArgumentException e) {
            throw new MalformedEncodingException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CksShare[parties " + firstParty + "+" + partyCount + ", ciphertext " + ciphertext + "]";
    }
}
