package org.concilium.mhe.multiparty;

import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Encoding;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.MalformedEncodingException;
import org.concilium.mhe.rlwe.ObjectKind;
import org.concilium.mhe.rlwe.Parameters;

/** CKG message: b_i = -s_i a + e_i (NTT form) for the CRP a named by {@code crp}. */
public record CkgShare(Parameters parameters, Fingerprint crp, int firstParty, int partyCount, Poly share)
        implements PartyRange {
    public CkgShare {
        PartyRange.validate(parameters, firstParty, partyCount);
        share = share.copy();
    }

    @Override
    public Poly share() {
        return share.copy();
    }

    Poly view() {
        return share;
    }

    private static int bodyBytes(Parameters params) {
        return 4 + Fingerprint.LENGTH + Encoding.polyBytes(params);
    }

    public byte[] toBytes() {
        return new Encoding.Writer(parameters, ObjectKind.CKG_SHARE, bodyBytes(parameters))
                .putShort(firstParty).putShort(partyCount).putBytes(crp.toBytes()).putPoly(share).finish();
    }

    public static CkgShare fromBytes(Parameters params, byte[] bytes) {
        Encoding.Reader r = new Encoding.Reader(bytes, params, ObjectKind.CKG_SHARE, bodyBytes(params));
        int first = r.getShort();
        int count = r.getShort();
        Fingerprint fp = Fingerprint.fromBytes(r.getBytes(Fingerprint.LENGTH));
        Poly p = r.getPoly();
        r.finish();
        try {
            return new CkgShare(params, fp, first, count, p);
        } catch (IllegalArgumentException e) {
            throw new MalformedEncodingException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CkgShare[parties " + firstParty + "+" + partyCount + ", crp " + crp + "]";
    }
}
