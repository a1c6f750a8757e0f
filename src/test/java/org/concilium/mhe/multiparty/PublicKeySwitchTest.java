package org.concilium.mhe.multiparty;

import static org.concilium.mhe.multiparty.MultipartyCases.assertBelow;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.concilium.mhe.NoiseMeter;
import org.concilium.mhe.bfv.Decryptor;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** PCKS: the sum switched to a querier's key decrypts to the plain sum, with noise bounded, and survives serialization. */
class PublicKeySwitchTest {

    @ParameterizedTest(name = "PCKS {0} with {1} parties")
    @MethodSource("org.concilium.mhe.multiparty.MultipartyCases#setsAndParties")
    void theSumSwitchedToTheQuerierKeyDecryptsToThePlainSum(Parameters params, int n) {
        Network net = MultipartyCases.network(params, n);
        long[][] v = MultipartyCases.vectors(net);
        long[] expected = Network.plainSum(v);
        long[] m = net.encoder.encode(expected).coefficients();
        Ciphertext sum = net.encryptedSum(v);

        KeyGenerator.KeyPair querier = KeyGenerator.generateKeyPair(params);
        PublicKeySwitch pcks = new PublicKeySwitch(params, n);
        List<PcksShare> pcksShares = new ArrayList<>();
        for (KeySwitchParty p : net.parties) {
            pcksShares.add(pcks.genShare(p, sum, querier.publicKey()));
        }
        Ciphertext switched = pcks.finalize(sum, querier.publicKey(), pcks.aggregate(pcksShares));
        int level = params.transmitLimbs();
        assertEquals(level, switched.limbs());
        assertArrayEquals(expected, net.encoder.decode(Decryptor.decrypt(querier.secretKey(), switched)));
        Poly phase = switched.c0();
        querier.secretKey().multiplyAddNtt(switched.c1(), phase);
        params.ring().intt(phase);
        assertBelow(NoiseMeter.infNorm(params, phase, m), NoiseMeter.atLevel(params,
                params.noiseAfterPcks(n, n).add(MultipartyCases.slack(net)), level, n), "PCKS");
        // the switched ciphertext survives serialization at its reduced level
        assertArrayEquals(expected, net.encoder.decode(Decryptor.decrypt(querier.secretKey(),
                Ciphertext.fromBytes(params, switched.toBytes()))));
    }
}
