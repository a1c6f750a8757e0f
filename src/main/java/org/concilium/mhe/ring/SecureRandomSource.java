package org.concilium.mhe.ring;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

final class SecureRandomSource implements RandomSource {
    private final SecureRandom random;

    private SecureRandomSource(SecureRandom random) {
        this.random = random;
    }

    static SecureRandomSource create() {
        try {
            return new SecureRandomSource(SecureRandom.getInstance("DRBG"));
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
