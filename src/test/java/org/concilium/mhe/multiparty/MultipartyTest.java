package org.concilium.mhe.multiparty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.concilium.mhe.InsecureParameters;
import org.concilium.mhe.NoiseMeter;
import org.concilium.mhe.bfv.Decryptor;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Encrypt at n sites, sum, CKS and PCKS, decrypt: equals the plain sum, with noise under the analytic bounds. */
class MultipartyTest {
    static Stream<Arguments> setsAndParties() {
        List<Arguments> args = new ArrayList<>();
        for (int n : new int[] {3, 5, 10}) {
            for (NamedParameters np : NamedParameters.values()) {
                args.add(Arguments.of(np.parameters(), n));
            }
            args.add(Arguments.of(InsecureParameters.INSECURE_N1024_Q100_T65537, n));
            args.add(Arguments.of(InsecureParameters.INSECURE_N2048_Q110_T33, n));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} with {1} parties")
    @MethodSource("setsAndParties")
    void sumThenCksAndPcksDecryptsToThePlainSum(Parameters params, int n) {
        Network net = new Network(params, n);
        long[][] v = net.siteVectors(17L * n + params.id());
        long[] expected = Network.plainSum(v);
        Ciphertext sum = net.encryptedSum(v);
        long[] m = net.encoder.encode(expected).coefficients();
        BigInteger slack = BigInteger.valueOf(params.plaintextModulus()).multiply(BigInteger.valueOf(n));

        // CKG: b + a s = sum e_i, within n B_e
        Poly keyPhase = net.collectiveKey.b();
        for (var s : net.shares) {
            s.multiplyAddNtt(net.collectiveKey.a(), keyPhase);
        }
        params.ring().intt(keyPhase);
        assertBelow(NoiseMeter.infNorm(params, keyPhase, new long[params.n()]),
                BigInteger.valueOf((long) n * params.errorBound()), "CKG");

        // fresh noise of the sum under the collective key
        BigInteger sumNoise = NoiseMeter.infNorm(params, net.collectivePhase(sum), m);
        assertBelow(sumNoise, params.sumNoise(n, n).add(slack), "sum");

        // CKS: collective decryption
        CollectiveKeySwitch cks = new CollectiveKeySwitch(params, n);
        List<CksShare> cksShares = new ArrayList<>();
        for (KeySwitchParty p : net.parties) {
            cksShares.add(cks.genShare(p, sum));
        }
        CksShare cksAgg = cks.aggregate(cksShares);
        assertArrayEquals(expected, net.encoder.decode(cks.finalize(sum, cksAgg)));
        Poly cksPhase = cks.finalizePhase(sum, cksAgg);
        int level = params.transmitLimbs();
        assertEquals(level, cksPhase.limbCount());
        assertArrayEquals(NoiseMeter.exactDecode(params, cksPhase), Decryptor.decodePhase(params, cksPhase).coefficients());
        BigInteger cksNoise = NoiseMeter.infNorm(params, cksPhase, m);
        assertBelow(cksNoise, NoiseMeter.atLevel(params, params.noiseAfterCks(n, n).add(slack), level, n), "CKS");
        // smudging must actually be there: the measured noise is about n 2^b scaled by Q_l / Q
        int scaledSmudgingBits = params.smudgingBits() - (params.logQ() - params.modulusAtLevel(level).bitLength());
        if (scaledSmudgingBits > 8) {
            assertTrue(cksNoise.bitLength() >= scaledSmudgingBits - 2, "smudging visible in the noise");
        }

        // PCKS towards a querier key, on a second sum (one share per party per ciphertext)
        Ciphertext sum2 = net.encryptedSum(v);
        KeyGenerator.KeyPair querier = KeyGenerator.generateKeyPair(params);
        PublicKeySwitch pcks = new PublicKeySwitch(params, n);
        List<PcksShare> pcksShares = new ArrayList<>();
        for (KeySwitchParty p : net.parties) {
            pcksShares.add(pcks.genShare(p, sum2, querier.publicKey()));
        }
        Ciphertext switched = pcks.finalize(sum2, querier.publicKey(), pcks.aggregate(pcksShares));
        assertEquals(level, switched.limbs());
        assertArrayEquals(expected, net.encoder.decode(Decryptor.decrypt(querier.secretKey(), switched)));
        Poly phase = switched.c0();
        querier.secretKey().multiplyAddNtt(switched.c1(), phase);
        params.ring().intt(phase);
        assertBelow(NoiseMeter.infNorm(params, phase, m),
                NoiseMeter.atLevel(params, params.noiseAfterPcks(n, n).add(slack), level, n), "PCKS");
        // the switched ciphertext survives serialization at its reduced level
        assertArrayEquals(expected, net.encoder.decode(Decryptor.decrypt(querier.secretKey(),
                Ciphertext.fromBytes(params, switched.toBytes()))));
    }

    private static void assertBelow(BigInteger measured, BigInteger bound, String what) {
        assertTrue(measured.compareTo(bound) <= 0, what + " noise 2^" + NoiseMeter.log2(measured)
                + " above bound 2^" + NoiseMeter.log2(bound));
    }
}
