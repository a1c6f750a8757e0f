package org.concilium.mhe.ring;

/**
 * Where samplers draw secret randomness from. Production code only ever uses {@link
 * #secure()}; a deterministic implementation exists in test code for known-answer vectors.
 */
public interface RandomSource {
    void nextBytes(byte[] out);

    long nextLong();

    /** A fresh NIST SP 800-90A DRBG ({@code SecureRandom.getInstance("DRBG")}, 256-bit strength). */
    static RandomSource secure() {
        return SecureRandomSource.create();
    }
}
