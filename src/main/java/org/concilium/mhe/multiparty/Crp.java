package org.concilium.mhe.multiparty;

import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.Parameters;

/** A common reference polynomial (NTT form) and the fingerprint of the seed it was expanded from. */
public record Crp(Parameters parameters, Fingerprint fingerprint, Poly poly) {
    public Crp {
        poly = poly.copy();
    }

    @Override
    public Poly poly() {
        return poly.copy();
    }
}
