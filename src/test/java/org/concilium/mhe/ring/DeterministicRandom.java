package org.concilium.mhe.ring;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/** SHAKE256-seeded deterministic randomness: TEST ONLY, for known-answer vectors. */
public final class DeterministicRandom implements RandomSource {
    private final SHAKEDigest xof = new SHAKEDigest(256);

    public DeterministicRandom(String seed) {
        byte[] s = ("concilium/mhe/test-random/" + seed).getBytes(StandardCharsets.UTF_8);
        xof.update(s, 0, s.length);
    }

    @Override
    public void nextBytes(byte[] out) {
        xof.doOutput(out, 0, out.length);
    }

    @Override
    public long nextLong() {
        byte[] b = new byte[8];
        nextBytes(b);
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xFF);
        }
        return v;
    }
}
