package org.concilium.mhe.ring;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * Uniform polynomials of R_Q expanded from a public seed with SHAKE256: the common reference
 * polynomials every party derives identically. Rejection sampling per limb keeps each residue
 * exactly uniform in [0, q_j).
 */
public final class UniformSampler {
    private static final byte[] DOMAIN = "concilium/mhe/crp/v1".getBytes(StandardCharsets.US_ASCII);

    private UniformSampler() {
    }

    /**
     * Expands {@code seed} (bound by the caller to the network, key epoch and purpose) into a
     * polynomial interpreted in NTT form.
     */
    public static Poly sample(Ring ring, byte[] seed) {
        SHAKEDigest xof = new SHAKEDigest(256);
        xof.update(DOMAIN, 0, DOMAIN.length);
        byte[] len = {(byte) (seed.length >>> 24), (byte) (seed.length >>> 16), (byte) (seed.length >>> 8), (byte) seed.length};
        xof.update(len, 0, 4);
        xof.update(seed, 0, seed.length);
        Poly p = ring.newPoly();
        int n = ring.n();
        byte[] buf = new byte[8 * 512];
        int pos = buf.length;
        for (int j = 0; j < ring.limbCount(); j++) {
            long q = ring.modulus(j).value();
            long mask = (1L << ring.modulus(j).bitLength()) - 1;
            long[] limb = p.limb(j);
            int i = 0;
            while (i < n) {
                if (pos == buf.length) {
                    xof.doOutput(buf, 0, buf.length);
                    pos = 0;
                }
                long w = 0;
                for (int b = 0; b < 8; b++) {
                    w = (w << 8) | (buf[pos + b] & 0xFF);
                }
                pos += 8;
                w &= mask;
                if (w < q) {
                    limb[i++] = w;
                }
            }
        }
        return p;
    }
}
