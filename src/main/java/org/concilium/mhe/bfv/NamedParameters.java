package org.concilium.mhe.bfv;

import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.ParametersLiteral;

/**
 * The reviewed parameter sets. Security is judged against the HomomorphicEncryption.org standard
 * (Albrecht et al. 2018), classical 128-bit column for ternary secrets and sigma = 3.2:
 * N = 4096 needs logQ &lt;= 109, N = 8192 logQ &lt;= 218, N = 16384 logQ &lt;= 438. Every set is
 * analysed for 100 parties (sites); the smudging width and the lambda it reaches are derived in
 * {@link Parameters} and tabulated in docs/crypto.md.
 */
public enum NamedParameters {
    /**
     * N = 4096, logQ = 108 (two 54-bit primes, bound 109), t = 65537. Matches the OpenFHE
     * reference point; t is too small for network sums of observation values, and the smudging
     * only reaches lambda ~ 41 for 100 sites. For comparison and small deployments.
     */
    N4096_Q108_T65537(1, 12, new long[] {18014398509309953L, 18014398509293569L}, 65537L),

    /**
     * The network default. N = 8192, logQ = 180 (three 60-bit primes, bound 218), t =
     * 4295294977 (prime, &gt; 2^32, = 1 mod 2^15): slots hold signed sums up to +-2^31 over 100
     * sites; smudging reaches lambda ~ 95.
     */
    N8192_Q180_T33(2, 13, new long[] {1152921504606830593L, 1152921504606748673L, 1152921504606683137L}, 4295294977L),

    /**
     * N = 16384, logQ = 300 (five 60-bit primes, bound 438), same t as the default; smudging at
     * the full lambda = 128 with room to spare. Twice the slots, about 3x the cost.
     */
    N16384_Q300_T33(3, 14, new long[] {1152921504606748673L, 1152921504606683137L, 1152921504606584833L,
        1152921504605962241L, 1152921504604979201L}, 4295294977L);

    /** The set the network uses unless configured otherwise. */
    public static final NamedParameters DEFAULT = N8192_Q180_T33;
    /** Number of sites every named set is analysed for. */
    public static final int MAX_SITES = 100;

    private final int id;
    private final int logN;
    private final long[] primes;
    private final long t;
    private volatile Parameters built;

    NamedParameters(int id, int logN, long[] primes, long t) {
        this.id = id;
        this.logN = logN;
        this.primes = primes;
        this.t = t;
    }

    public int id() {
        return id;
    }

    public Parameters parameters() {
        Parameters p = built;
        if (p == null) {
            synchronized (this) {
                p = built;
                if (p == null) {
                    p = ParametersLiteral.builder().name(name()).id(id).logN(logN).ciphertextPrimes(primes)
                            .plaintextModulus(t).maxParties(MAX_SITES).build();
                    built = p;
                }
            }
        }
        return p;
    }

    /** The named set with this encoding id. */
    public static NamedParameters byId(int id) {
        for (NamedParameters p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown parameter set id " + id);
    }
}
