/**
 * Arithmetic of R_Q = Z_Q[X]/(X^N + 1) in RNS form: word-sized NTT primes ({@link
 * org.concilium.mhe.ring.Modulus}, Barrett and Shoup reduction), negacyclic NTT with lazy Harvey
 * butterflies ({@link org.concilium.mhe.ring.NttTables}), limb-wise polynomial operations and
 * modulus switching ({@link org.concilium.mhe.ring.Ring}), and samplers: uniform from SHAKE256 for
 * common reference polynomials, ternary, truncated discrete Gaussian, uniform smudging. Secret
 * randomness comes from {@link org.concilium.mhe.ring.RandomSource#secure()} (DRBG).
 *
 * <p>May depend on the JDK and Bouncy Castle (SHAKE256) only.
 */
package org.concilium.mhe.ring;
