package org.concilium.mhe.ring;

import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

final class SecureRandomSource implements RandomSource {
    private final SecureRandom random;

    private SecureRandomSource(SecureRandom random) {
        this.random = random;
    }

    static SecureRandomSource create() {
        try {
            // 256-bit security strength, personalised so our instances never share a state
            return new SecureRandomSource(SecureRandom.getInstance("DRBG", DrbgParameters.instantiation(256,
                    DrbgParameters.Capability.RESEED_ONLY, "concilium/mhe".getBytes(StandardCharsets.US_ASCII))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("DRBG SecureRandom unavailable", e);
        }
    }

    @Override
    public void nextBytes(byte[] out) {
        random.nextBytes(out);
    }

    @Override
    public long nextLong() {
        return random.nextLong();
    }
}
