package org.concilium.mhe.multiparty;

import static org.concilium.mhe.multiparty.MultipartyCases.assertBelow;

import org.concilium.mhe.NoiseMeter;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every site encrypts under the collective key; the sum's noise stays under the analytic bound. */
class EncryptedSumTest {

    @ParameterizedTest(name = "sum {0} with {1} parties")
    @MethodSource("org.concilium.mhe.multiparty.MultipartyCases#setsAndParties")
    void theSumOfFreshCiphertextsHasNoiseWithinTheBound(Parameters params, int n) {
        Network net = MultipartyCases.network(params, n);
        long[][] v = MultipartyCases.vectors(net);
        Ciphertext sum = net.encryptedSum(v);
        long[] m = net.encoder.encode(Network.plainSum(v)).coefficients();
        assertBelow(NoiseMeter.infNorm(params, net.collectivePhase(sum), m),
                params.sumNoise(n, n).add(MultipartyCases.slack(net)), "sum");
    }
}
