/**
 * RLWE objects: validated {@link org.concilium.mhe.rlwe.Parameters} (built from a {@link
 * org.concilium.mhe.rlwe.ParametersLiteral}), secret-key shares, public keys, ciphertexts, their
 * exact binary {@link org.concilium.mhe.rlwe.Encoding} and AES-GCM sealing of secret shares at
 * rest. Raw secret bytes need {@link org.concilium.mhe.rlwe.SecretAccess#INSECURE_EXPORT}.
 *
 * <p>May depend on {@code mhe.ring}, the JDK and Bouncy Castle only.
 */
package org.concilium.mhe.rlwe;
