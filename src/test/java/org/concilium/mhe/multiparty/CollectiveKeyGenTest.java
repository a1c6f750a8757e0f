package org.concilium.mhe.multiparty;

import static org.concilium.mhe.multiparty.MultipartyCases.assertBelow;

import java.math.BigInteger;
import org.concilium.mhe.NoiseMeter;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CKG: the collective public key is an RLWE sample under the sum of the shares. */
class CollectiveKeyGenTest {

    @ParameterizedTest(name = "CKG {0} with {1} parties")
    @MethodSource("org.concilium.mhe.multiparty.MultipartyCases#setsAndParties")
    void theCollectiveKeyHasNoiseWithinNTimesTheErrorBound(Parameters params, int n) {
        Network net = MultipartyCases.network(params, n);
        // b + a s = sum e_i, within n B_e
        Poly keyPhase = net.collectiveKey.b();
        for (var s : net.shares) {
            s.multiplyAddNtt(net.collectiveKey.a(), keyPhase);
        }
        params.ring().intt(keyPhase);
        assertBelow(NoiseMeter.infNorm(params, keyPhase, new long[params.n()]),
                BigInteger.valueOf((long) n * params.errorBound()), "CKG");
    }
}
