/**
 * BFV over the rlwe layer: the named parameter sets ({@link org.concilium.mhe.bfv.NamedParameters}),
 * integer SIMD batch encoding, public-key encryption and decryption with RNS rounding.
 *
 * <p>May depend on {@code mhe.ring} and {@code mhe.rlwe} only.
 */
package org.concilium.mhe.bfv;
