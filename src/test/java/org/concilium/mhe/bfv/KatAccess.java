package org.concilium.mhe.bfv;

import org.concilium.mhe.rlwe.Parameters;

/** TEST ONLY. */
public final class KatAccess {
    private KatAccess() {
    }

    public static byte[] ciphertext(Parameters params) {
        return CiphertextKnownAnswerTest.deterministicCiphertext(params);
    }
}
