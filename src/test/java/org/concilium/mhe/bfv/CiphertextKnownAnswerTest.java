package org.concilium.mhe.bfv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.concilium.mhe.InsecureParameters;
import org.concilium.mhe.ring.DeterministicRandom;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.TestKeys;
import org.junit.jupiter.api.Test;

/** A ciphertext built from seeded randomness must serialize to the checked-in bytes. */
class CiphertextKnownAnswerTest {
    static byte[] deterministicCiphertext(Parameters params) {
        DeterministicRandom random = new DeterministicRandom("ciphertext-kat/" + params.name());
        KeyGenerator.KeyPair kp = TestKeys.keyPair(params, random);
        long[] slots = new long[params.n()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = (i % 2 == 0 ? 1 : -1) * ((long) i * 31 % 30000);
        }
        Encryptor enc = TestEncryptors.seeded(kp.publicKey(), random);
        Ciphertext ct = enc.encrypt(new BatchEncoder(params).encode(slots));
        return ct.toBytes();
    }

    @Test
    void smallSetCiphertextMatchesTheFullStoredVector() throws IOException {
        Parameters params = InsecureParameters.INSECURE_N1024_Q100_T65537;
        byte[] expected;
        try (InputStream in = getClass().getResourceAsStream("/mhe/ciphertext-INSECURE_N1024_Q100_T65537.bin")) {
            expected = in.readAllBytes();
        }
        assertArrayEquals(expected, deterministicCiphertext(params));
    }

    @Test
    void namedSetCiphertextsMatchTheStoredDigests() throws IOException {
        Properties kat = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/mhe/kat.properties")) {
            kat.load(in);
        }
        for (NamedParameters np : new NamedParameters[] {NamedParameters.N4096_Q108_T65537, NamedParameters.N8192_Q180_T33}) {
            byte[] ct = deterministicCiphertext(np.parameters());
            assertEquals(kat.getProperty("ciphertext." + np.name()), Fingerprint.of(ct).hex(), np.name());
        }
    }
}
