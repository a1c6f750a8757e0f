package org.concilium.mhe.bfv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.concilium.mhe.InsecureParameters;
import org.concilium.mhe.NoiseMeter;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BfvTest {
    static Stream<Parameters> allSets() {
        return Stream.concat(Stream.of(NamedParameters.values()).map(NamedParameters::parameters),
                Stream.of(InsecureParameters.INSECURE_N1024_Q100_T65537, InsecureParameters.INSECURE_N2048_Q110_T33));
    }

    static long[] randomSlots(Parameters params, SplittableRandom rnd, long lo, long hi) {
        long[] v = new long[params.n()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextLong(lo, hi + 1);
        }
        return v;
    }

    @ParameterizedTest
    @MethodSource("allSets")
    void encoderRoundTripsTheFullSignedRange(Parameters params) {
        BatchEncoder enc = new BatchEncoder(params);
        long[] v = randomSlots(params, new SplittableRandom(5), enc.minSlotValue(), enc.maxSlotValue());
        v[0] = enc.minSlotValue();
        v[1] = enc.maxSlotValue();
        v[2] = 0;
        assertArrayEquals(v, enc.decode(enc.encode(v)));
        assertThrows(IllegalArgumentException.class, () -> enc.encode(new long[] {enc.maxSlotValue() + 1}));
        assertThrows(IllegalArgumentException.class, () -> enc.encode(new long[] {enc.minSlotValue() - 1}));
    }

    @ParameterizedTest
    @MethodSource("allSets")
    void encryptAddDecryptWithASingleKey(Parameters params) {
        BatchEncoder enc = new BatchEncoder(params);
        KeyGenerator.KeyPair kp = KeyGenerator.generateKeyPair(params);
        Encryptor e = new Encryptor(kp.publicKey());
        SplittableRandom rnd = new SplittableRandom(6);
        int k = 4;
        long[] expected = new long[params.n()];
        List<Ciphertext> cts = new ArrayList<>();
        long lo = enc.minSlotValue() / k;
        long hi = enc.maxSlotValue() / k;
        for (int c = 0; c < k; c++) {
            long[] v = randomSlots(params, rnd, lo, hi);
            for (int i = 0; i < v.length; i++) {
                expected[i] += v[i];
            }
            cts.add(e.encrypt(enc.encode(v)));
        }
        Ciphertext sum = Ciphertext.sum(cts);
        assertArrayEquals(expected, enc.decode(Decryptor.decrypt(kp.secretKey(), sum)));
        assertArrayEquals(expected, enc.decode(Decryptor.decrypt(kp.secretKey(), cts.get(0).add(cts.get(1)).add(cts.get(2)).add(cts.get(3)))));

        // the fast RNS decoder agrees with exact big-integer rounding, and the noise is within the bound
        Poly phase = sum.c0();
        kp.secretKey().multiplyAddNtt(sum.c1(), phase);
        params.ring().intt(phase);
        assertArrayEquals(NoiseMeter.exactDecode(params, phase), Decryptor.decodePhase(params, phase).coefficients());
        long[] m = enc.encode(expected).coefficients();
        BigInteger noise = NoiseMeter.infNorm(params, phase, m);
        BigInteger bound = params.sumNoise(1, k).add(BigInteger.valueOf(params.plaintextModulus() * k));
        assertTrue(noise.compareTo(bound) <= 0, "noise " + noise + " above bound " + bound);
    }
}
