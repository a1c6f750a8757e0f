package org.concilium.mhe.bfv;

import org.concilium.mhe.ring.RandomSource;
import org.concilium.mhe.rlwe.PublicKey;

/** TEST ONLY: a seeded encryptor for known-answer vectors. */
public final class TestEncryptors {
    private TestEncryptors() {
    }

    public static Encryptor seeded(PublicKey pk, RandomSource random) {
        return new Encryptor(pk, random);
    }
}
