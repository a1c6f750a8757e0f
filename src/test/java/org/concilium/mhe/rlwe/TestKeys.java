package org.concilium.mhe.rlwe;

import org.concilium.mhe.ring.RandomSource;

/** TEST ONLY: reaches the package-private seeded key generation for known-answer vectors. */
public final class TestKeys {
    private TestKeys() {
    }

    public static KeyGenerator.KeyPair keyPair(Parameters params, RandomSource random) {
        return KeyGenerator.generateKeyPair(params, random);
    }

    public static SecretKeyShare share(Parameters params, int party, RandomSource random) {
        return SecretKeyShare.generate(params, party, random);
    }
}
