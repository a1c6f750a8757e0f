package org.concilium.mhe;

import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.ParametersLiteral;

/** Small, fast, insecure parameter sets for tests only. */
public final class InsecureParameters {
    /** N = 1024, logQ = 100 (far above the 27-bit bound for N = 1024), t = 65537, 10 parties. */
    public static final Parameters INSECURE_N1024_Q100_T65537 = ParametersLiteral.builder()
            .name("INSECURE_N1024_Q100_T65537").id(0xFF01).logN(10)
            .ciphertextPrimes(1125899906826241L, 1125899906820097L).plaintextModulus(65537L).maxParties(10).build();

    /** N = 2048, logQ = 110, t = 4295294977 (the default set's t), 10 parties. */
    public static final Parameters INSECURE_N2048_Q110_T33 = ParametersLiteral.builder()
            .name("INSECURE_N2048_Q110_T33").id(0xFF02).logN(11)
            .ciphertextPrimes(36028797018820609L, 36028797018746881L).plaintextModulus(4295294977L).maxParties(10)
            .build();

    private InsecureParameters() {
    }
}
