package org.concilium.mhe.multiparty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.concilium.mhe.InsecureParameters;
import org.concilium.mhe.NoiseMeter;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The cases every protocol test runs (each named parameter set and the test-only ones, with 3, 5
 * and 10 parties), and one CKG'd {@link Network} per case shared by the protocol tests, so that
 * splitting them by protocol does not repeat the key generation.
 */
final class MultipartyCases {

    private static final Map<String, Network> NETWORKS = new ConcurrentHashMap<>();

    private MultipartyCases() {
    }

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

    /** n parties that ran CKG under {@code params}; every test encrypts its own ciphertexts. */
    static Network network(Parameters params, int n) {
        return NETWORKS.computeIfAbsent(params.id() + "/" + n, k -> new Network(params, n));
    }

    /** The site vectors of a case: their sum covers the full signed slot range. */
    static long[][] vectors(Network net) {
        return net.siteVectors(17L * net.n + net.params.id());
    }

    /** The slack of plaintext rounding across n parties, added to every analytic bound. */
    static BigInteger slack(Network net) {
        return BigInteger.valueOf(net.params.plaintextModulus()).multiply(BigInteger.valueOf(net.n));
    }

    static void assertBelow(BigInteger measured, BigInteger bound, String what) {
        assertTrue(measured.compareTo(bound) <= 0, what + " noise 2^" + NoiseMeter.log2(measured)
                + " above bound 2^" + NoiseMeter.log2(bound));
    }
}
