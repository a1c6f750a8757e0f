package org.concilium.mhe.ring;

/** TEST ONLY. */
public final class KatAccessRing {
    private KatAccessRing() {
    }

    public static Poly fixedNtt(Ring ring) {
        Poly p = ring.newPoly();
        for (int j = 0; j < ring.limbCount(); j++) {
            for (int i = 0; i < ring.n(); i++) {
                p.limb(j)[i] = (i * 7919L + j * 104729L + 1) % ring.modulus(j).value();
            }
        }
        ring.ntt(p);
        return p;
    }

    public static String digest(Poly p) {
        return KnownAnswerTest.digest(p);
    }
}
