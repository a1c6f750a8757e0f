package org.concilium.mhe.multiparty;

import static org.concilium.mhe.multiparty.MultipartyCases.assertBelow;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.concilium.mhe.NoiseMeter;
import org.concilium.mhe.bfv.Decryptor;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CKS (collective decryption): the sum decrypts to the plain sum, with smudging noise present and bounded. */
class CollectiveKeySwitchTest {

    @ParameterizedTest(name = "CKS {0} with {1} parties")
    @MethodSource("org.concilium.mhe.multiparty.MultipartyCases#setsAndParties")
    void collectiveDecryptionOfTheSumIsThePlainSum(Parameters params, int n) {
        Network net = MultipartyCases.network(params, n);
        long[][] v = MultipartyCases.vectors(net);
        long[] expected = Network.plainSum(v);
        long[] m = net.encoder.encode(expected).coefficients();
        Ciphertext sum = net.encryptedSum(v);

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
        assertBelow(cksNoise, NoiseMeter.atLevel(params, params.noiseAfterCks(n, n).add(MultipartyCases.slack(net)),
                level, n), "CKS");
        // smudging must actually be there: the measured noise is about n 2^b scaled by Q_l / Q
        int scaledSmudgingBits = params.smudgingBits() - (params.logQ() - params.modulusAtLevel(level).bitLength());
        if (scaledSmudgingBits > 8) {
            assertTrue(cksNoise.bitLength() >= scaledSmudgingBits - 2, "smudging visible in the noise");
        }
    }
}
