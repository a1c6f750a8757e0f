package org.concilium.mhe.rlwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.concilium.mhe.bfv.NamedParameters;
import org.junit.jupiter.api.Test;

class ParametersTest {
    private static final long[] Q8192 = {1152921504606830593L, 1152921504606748673L, 1152921504606683137L};

    private static ParametersLiteral valid() {
        return ParametersLiteral.builder().name("TEST").id(77).logN(13).ciphertextPrimes(Q8192)
                .plaintextModulus(4295294977L).maxParties(100);
    }

    @Test
    void namedSetsMeetTheHeStandardAndTheSmudgingTarget() {
        for (NamedParameters np : NamedParameters.values()) {
            Parameters p = np.parameters();
            assertTrue(p.logQ() <= Parameters.heStandardMaxLogQ(p.logN()), np.name());
            assertTrue(p.smudgingLambda() >= 40, np.name() + " lambda " + p.smudgingLambda());
            assertEquals(100, p.maxParties());
            assertEquals(np, NamedParameters.byId(p.id()));
            assertEquals(1, p.plaintextModulus() % (2L * p.n()));
            assertTrue(BigInteger.valueOf(p.plaintextModulus()).isProbablePrime(80));
            // correctness: worst-case noise after PCKS of 100 sites' maximal sums stays below Delta / 4
            BigInteger worst = p.noiseAfterPcks(100, 100).add(BigInteger.valueOf(p.plaintextModulus()).multiply(BigInteger.valueOf(100)));
            assertTrue(worst.compareTo(p.delta().shiftRight(2)) <= 0, np.name());
        }
        assertEquals(108, NamedParameters.N4096_Q108_T65537.parameters().logQ());
        assertEquals(180, NamedParameters.N8192_Q180_T33.parameters().logQ());
        assertTrue(NamedParameters.DEFAULT.parameters().plaintextModulus() >= (1L << 32));
        assertTrue(NamedParameters.N16384_Q300_T33.parameters().smudgingLambda() >= 128);
        assertTrue(NamedParameters.N8192_Q180_T33.parameters().smudgingLambda() >= 90);
    }

    @Test
    void invalidCombinationsAreRefused() {
        List<Supplier<Parameters>> bad = new ArrayList<>();
        bad.add(() -> valid().name(null).build());
        bad.add(() -> valid().id(0).build());
        bad.add(() -> valid().id(70000).build());
        bad.add(() -> valid().logN(9).build());
        bad.add(() -> valid().logN(16).build());
        bad.add(() -> valid().ciphertextPrimes().build());
        bad.add(() -> valid().ciphertextPrimes(Q8192[0], Q8192[0]).build()); // repeated
        bad.add(() -> valid().ciphertextPrimes(Q8192[0] + 2 * 16384).build()); // not prime (composite)
        bad.add(() -> valid().ciphertextPrimes(18014398509309953L).logN(14).build()); // 1 mod 8192 only
        bad.add(() -> valid().plaintextModulus(12289L).build()); // prime, 1 mod 4096, not 1 mod 16384
        bad.add(() -> valid().plaintextModulus(4295294979L).build()); // not prime
        bad.add(() -> valid().plaintextModulus(1L << 41).build());
        bad.add(() -> valid().maxParties(0).build());
        bad.add(() -> valid().sigma(1.0).build());
        // logQ 240 > 218 at N = 8192 without the INSECURE_ prefix
        bad.add(() -> valid().ciphertextPrimes(Q8192[0], Q8192[1], Q8192[2], 1152921504606584833L).build());
        // N = 4096 at logQ 108 with t ~ 2^32 leaves too little room to smudge for 100 sites
        bad.add(() -> ParametersLiteral.builder().name("TEST").id(5).logN(12)
                .ciphertextPrimes(18014398509309953L, 18014398509293569L).plaintextModulus(4295294977L).maxParties(100).build());
        int i = 0;
        for (Supplier<Parameters> s : bad) {
            int idx = i++;
            assertThrows(IllegalArgumentException.class, s::get, "case " + idx);
        }
    }

    @Test
    void insecurePrefixIsTheOnlyWayPastTheSecurityBound() {
        Parameters p = valid().name("INSECURE_TEST").ciphertextPrimes(Q8192[0], Q8192[1], Q8192[2], 1152921504606584833L).build();
        assertTrue(p.isInsecure());
        assertTrue(valid().build().toString().contains("lambda"));
    }
}
