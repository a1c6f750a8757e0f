package org.concilium.mhe.rlwe;

/**
 * Capability token required to read raw secret-key material. Grep for {@code
 * SecretAccess.INSECURE_EXPORT} to find every place that touches a secret in the clear; the only
 * legitimate one in production is sealing it (see {@link SealedSecretKey}).
 */
public final class SecretAccess {
    public static final SecretAccess INSECURE_EXPORT = new SecretAccess();

    private SecretAccess() {
    }

    static void check(SecretAccess access) {
        if (access != INSECURE_EXPORT) {
            throw new IllegalArgumentException("secret access capability required");
        }
    }
}
