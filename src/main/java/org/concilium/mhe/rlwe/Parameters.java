package org.concilium.mhe.rlwe;

import java.math.BigInteger;
import java.util.Arrays;
import org.concilium.mhe.ring.Modulus;
import org.concilium.mhe.ring.NttTables;
import org.concilium.mhe.ring.Ring;

/**
 * Validated, immutable parameters of the RLWE/BFV scheme: ring degree N, ciphertext modulus Q (a
 * product of NTT primes), plaintext modulus t, error distribution, the maximum number of parties,
 * and the smudging width derived from the noise analysis in docs/crypto.md.
 *
 * <p>Construction refuses: N outside 2^10..2^15; a non-prime or repeated modulus, or one not
 * congruent to 1 mod 2N; t not prime, not 1 mod 2N, at or above 2^40 or above any q_j; Q above
 * the HomomorphicEncryption.org 128-bit bound for N unless the name starts with {@code INSECURE_};
 * a noise budget that cannot reach statistical distance 2^-40 for maxParties unless INSECURE_.
 */
public final class Parameters {
    /** Minimum smudging security (statistical distance 2^-lambda) accepted for a named set. */
    public static final int MIN_LAMBDA = 40;
    /** Smudging security the analysis aims for; wider smudging is not used beyond this. */
    public static final int TARGET_LAMBDA = 128;
    private static final int MAX_T_BITS = 40;

    private final String name;
    private final int id;
    private final int logN;
    private final int n;
    private final long[] primes;
    private final long t;
    private final int maxParties;
    private final double sigma;
    private final int errorBound;
    private final Ring ring;
    private final Modulus tModulus;
    private final NttTables tNtt;
    private final BigInteger bigQ;
    private final BigInteger delta;
    private final long[] deltaRns;
    private final long[][] qHatInv; // [level][j]: (Q_level/q_j)^-1 mod q_j, Q_level = q_0 ... q_{level-1}
    private final BigInteger[] levelQ;
    private final int transmitLimbs;
    private final double[] tOverQ; // t / q_j
    private final BigInteger freshNoiseBound;
    private final int smudgingBits;
    private final double lambda;

    Parameters(String name, int id, int logN, long[] primes, long t, int maxParties, double sigma) {
        if (logN < 10 || logN > 15) {
            throw new IllegalArgumentException("logN must be in [10, 15]: " + logN);
        }
        this.n = 1 << logN;
        if (primes.length < 1 || primes.length > 16) {
            throw new IllegalArgumentException("between 1 and 16 ciphertext primes");
        }
        BigInteger q = BigInteger.ONE;
        for (int j = 0; j < primes.length; j++) {
            long p = primes[j];
            if (p <= 2 || 64 - Long.numberOfLeadingZeros(p) > Modulus.MAX_BITS) {
                throw new IllegalArgumentException("prime out of range: " + p);
            }
            if (!BigInteger.valueOf(p).isProbablePrime(80)) {
                throw new IllegalArgumentException("not prime: " + p);
            }
            if ((p - 1) % (2L * n) != 0) {
                throw new IllegalArgumentException("prime " + p + " is not 1 mod 2N");
            }
            for (int k = 0; k < j; k++) {
                if (primes[k] == p) {
                    throw new IllegalArgumentException("repeated prime " + p);
                }
            }
            q = q.multiply(BigInteger.valueOf(p));
        }
        if (t < 2 || !BigInteger.valueOf(t).isProbablePrime(80) || (t - 1) % (2L * n) != 0) {
            throw new IllegalArgumentException("plaintext modulus must be a prime = 1 mod 2N: " + t);
        }
        if (64 - Long.numberOfLeadingZeros(t) > MAX_T_BITS) {
            throw new IllegalArgumentException("plaintext modulus above 2^40: " + t);
        }
        for (long p : primes) {
            if (t >= p) {
                throw new IllegalArgumentException("plaintext modulus must be below every q_j");
            }
        }
        if (maxParties < 1 || maxParties > 10_000) {
            throw new IllegalArgumentException("maxParties must be in [1, 10000]");
        }
        if (!(sigma >= 3.19 && sigma <= 8)) {
            throw new IllegalArgumentException("sigma must be in [3.19, 8]");
        }
        boolean insecure = name.startsWith("INSECURE_");
        int logQ = q.bitLength();
        if (logQ > heStandardMaxLogQ(logN) && !insecure) {
            throw new IllegalArgumentException("logQ = " + logQ + " exceeds the 128-bit HE standard bound "
                    + heStandardMaxLogQ(logN) + " for N = " + n + "; only INSECURE_* sets may");
        }
        this.name = name;
        this.id = id;
        this.logN = logN;
        this.primes = primes;
        this.t = t;
        this.maxParties = maxParties;
        this.sigma = sigma;
        this.errorBound = (int) Math.floor(6 * sigma);
        this.ring = new Ring(n, primes);
        this.tModulus = new Modulus(t);
        this.tNtt = new NttTables(tModulus, n);
        this.bigQ = q;
        this.delta = q.divide(BigInteger.valueOf(t));
        this.deltaRns = new long[primes.length];
        this.qHatInv = new long[primes.length + 1][];
        this.levelQ = new BigInteger[primes.length + 1];
        this.tOverQ = new double[primes.length];
        levelQ[0] = BigInteger.ONE;
        for (int j = 0; j < primes.length; j++) {
            BigInteger pj = BigInteger.valueOf(primes[j]);
            deltaRns[j] = delta.mod(pj).longValue();
            tOverQ[j] = (double) t / (double) primes[j];
            levelQ[j + 1] = levelQ[j].multiply(pj);
        }
        for (int level = 1; level <= primes.length; level++) {
            qHatInv[level] = new long[level];
            for (int j = 0; j < level; j++) {
                BigInteger pj = BigInteger.valueOf(primes[j]);
                qHatInv[level][j] = levelQ[level].divide(pj).modInverse(pj).longValue();
            }
        }
        // Key-switch shares travel at the fewest limbs whose rounding error (< 1 per coefficient per
        // share, times ||s'||_1 <= N for the h1 part of PCKS) costs at most 1/8 of a plaintext step.
        BigInteger roundingError = BigInteger.valueOf((long) maxParties * n + maxParties + 1);
        int tl = primes.length;
        for (int level = 1; level <= primes.length; level++) {
            if (BigInteger.valueOf(t).multiply(roundingError).shiftLeft(3).compareTo(levelQ[level]) <= 0) {
                tl = level;
                break;
            }
        }
        this.transmitLimbs = tl;

        // Noise analysis (docs/crypto.md, "Noise and smudging"): worst-case infinity norms.
        BigInteger bN = BigInteger.valueOf(n);
        BigInteger bE = BigInteger.valueOf(errorBound);
        BigInteger parties = BigInteger.valueOf(maxParties);
        this.freshNoiseBound = freshNoise(maxParties);
        BigInteger sumNoise = freshNoiseBound.multiply(parties);
        BigInteger budget = delta.shiftRight(2); // decryption needs total noise + t * sites <= Delta / 4
        BigInteger fixed = sumNoise.add(parties.multiply(bN.multiply(bE).shiftLeft(1)))
                .add(BigInteger.valueOf(t).multiply(parties));
        if (budget.compareTo(fixed) <= 0) {
            throw new IllegalArgumentException("no noise budget left for smudging");
        }
        int bMax = budget.subtract(fixed).divide(parties).bitLength() - 1;
        double log2Hidden = Math.log(n) / Math.log(2) + log2(sumNoise);
        int bCap = (int) Math.ceil(TARGET_LAMBDA + log2Hidden) - 1;
        this.smudgingBits = Math.min(bMax, bCap);
        this.lambda = smudgingBits + 1 - log2Hidden;
        if (lambda < MIN_LAMBDA && !insecure) {
            throw new IllegalArgumentException(String.format(
                    "smudging reaches only lambda = %.1f < %d for %d parties", lambda, MIN_LAMBDA, maxParties));
        }
    }

    /** HomomorphicEncryption.org (2018) table, classical 128-bit security, ternary secrets. */
    public static int heStandardMaxLogQ(int logN) {
        return switch (logN) {
            case 10 -> 27;
            case 11 -> 54;
            case 12 -> 109;
            case 13 -> 218;
            case 14 -> 438;
            case 15 -> 881;
            default -> 0;
        };
    }

    static double log2(BigInteger x) {
        int shift = Math.max(0, x.bitLength() - 60);
        return Math.log(x.shiftRight(shift).doubleValue()) / Math.log(2) + shift;
    }

    /**
     * Worst-case infinity norm of the noise of a fresh encryption under a collective key of
     * {@code parties} parties: B_e (2 N parties + 1).
     */
    public BigInteger freshNoise(int parties) {
        return BigInteger.valueOf(errorBound)
                .multiply(BigInteger.valueOf(2L * n * parties + 1));
    }

    /** Bound on the noise of the sum of {@code ciphertexts} fresh ciphertexts under a key of {@code parties}. */
    public BigInteger sumNoise(int parties, int ciphertexts) {
        return freshNoise(parties).multiply(BigInteger.valueOf(ciphertexts));
    }

    /** Bound after CKS (collective decryption) of such a sum. */
    public BigInteger noiseAfterCks(int parties, int ciphertexts) {
        return sumNoise(parties, ciphertexts).add(BigInteger.ONE.shiftLeft(smudgingBits).multiply(BigInteger.valueOf(parties)));
    }

    /** Bound after PCKS towards a single-party target key, measured under the target secret. */
    public BigInteger noiseAfterPcks(int parties, int ciphertexts) {
        BigInteger perParty = BigInteger.ONE.shiftLeft(smudgingBits)
                .add(BigInteger.valueOf(2L * n * errorBound));
        return sumNoise(parties, ciphertexts).add(perParty.multiply(BigInteger.valueOf(parties)));
    }

    public String name() {
        return name;
    }

    public int id() {
        return id;
    }

    public int logN() {
        return logN;
    }

    public int n() {
        return n;
    }

    public int limbCount() {
        return primes.length;
    }

    public long[] primes() {
        return primes.clone();
    }

    public long plaintextModulus() {
        return t;
    }

    public int maxParties() {
        return maxParties;
    }

    public double sigma() {
        return sigma;
    }

    /** Truncation bound floor(6 sigma) of the fresh error distribution. */
    public int errorBound() {
        return errorBound;
    }

    public Ring ring() {
        return ring;
    }

    public Modulus plaintextModulusArithmetic() {
        return tModulus;
    }

    public NttTables plaintextNtt() {
        return tNtt;
    }

    public BigInteger modulusQ() {
        return bigQ;
    }

    public int logQ() {
        return bigQ.bitLength();
    }

    /** Delta = floor(Q / t). */
    public BigInteger delta() {
        return delta;
    }

    public long[] deltaRns() {
        return deltaRns.clone();
    }

    /** (Q_level / q_j)^-1 mod q_j for decoding at a level of {@code level} limbs. */
    public long qHatInverse(int level, int j) {
        return qHatInv[level][j];
    }

    /** Q_level = q_0 ... q_{level-1}. */
    public BigInteger modulusAtLevel(int level) {
        return levelQ[level];
    }

    /**
     * Number of limbs CKS and PCKS shares (and the PCKS output) are rescaled to before they are
     * sent: switching modulus after smudging costs only rounding noise (docs/crypto.md).
     */
    public int transmitLimbs() {
        return transmitLimbs;
    }

    /** Worst-case rounding error added by rescaling the shares of {@code parties} parties (PCKS). */
    public BigInteger rescaleError(int parties) {
        return BigInteger.valueOf((long) parties * n + parties + 1);
    }

    public double tOverQ(int j) {
        return tOverQ[j];
    }

    /** Smudging noise is uniform in [-2^b, 2^b) with b = smudgingBits(). */
    public int smudgingBits() {
        return smudgingBits;
    }

    /** Statistical-distance exponent reached by the smudging for maxParties parties. */
    public double smudgingLambda() {
        return lambda;
    }

    public boolean isInsecure() {
        return name.startsWith("INSECURE_");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && p.id == id && p.name.equals(name) && p.logN == logN
                && Arrays.equals(p.primes, primes) && p.t == t && p.maxParties == maxParties;
    }

    @Override
    public int hashCode() {
        return id;
    }

    @Override
    public String toString() {
        return String.format("Parameters[%s id=%d N=%d logQ=%d limbs=%d t=%d maxParties=%d smudging=2^%d lambda=%.1f transmitLimbs=%d]",
                name, id, n, logQ(), primes.length, t, maxParties, smudgingBits, lambda, transmitLimbs);
    }
}
