package org.concilium.mhe;

import java.math.BigInteger;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Parameters;

/** Test-side exact noise measurement with big integers: ||phase - Delta m mod Q||_inf, centred. */
public final class NoiseMeter {
    private NoiseMeter() {
    }

    /**
     * @param phase coefficient form over its first l limbs; the reference is Delta m at full level
     *     and round(Q_l m / t) below it
     * @param m plaintext coefficients in [0, t)
     */
    public static BigInteger infNorm(Parameters params, Poly phase, long[] m) {
        int limbs = phase.limbCount();
        BigInteger q = params.modulusAtLevel(limbs);
        BigInteger half = q.shiftRight(1);
        BigInteger t = BigInteger.valueOf(params.plaintextModulus());
        boolean full = limbs == params.limbCount();
        long[] primes = params.primes();
        BigInteger[] basis = new BigInteger[limbs];
        for (int j = 0; j < limbs; j++) {
            BigInteger pj = BigInteger.valueOf(primes[j]);
            BigInteger qj = q.divide(pj);
            basis[j] = qj.multiply(qj.modInverse(pj));
        }
        BigInteger max = BigInteger.ZERO;
        for (int i = 0; i < params.n(); i++) {
            BigInteger x = BigInteger.ZERO;
            for (int j = 0; j < limbs; j++) {
                x = x.add(basis[j].multiply(BigInteger.valueOf(phase.limb(j)[i])));
            }
            BigInteger mi = BigInteger.valueOf(m[i]);
            BigInteger ref = full ? params.delta().multiply(mi) : q.multiply(mi).shiftLeft(1).add(t).divide(t.shiftLeft(1));
            x = x.subtract(ref).mod(q);
            if (x.compareTo(half) > 0) {
                x = x.subtract(q);
            }
            BigInteger a = x.abs();
            if (a.compareTo(max) > 0) {
                max = a;
            }
        }
        return max;
    }

    /** A full-level noise bound carried to level l: scaled by Q_l / Q, plus the rescaling error. */
    public static BigInteger atLevel(Parameters params, BigInteger fullBound, int limbs, int parties) {
        if (limbs == params.limbCount()) {
            return fullBound;
        }
        return fullBound.multiply(params.modulusAtLevel(limbs)).divide(params.modulusQ()).add(params.rescaleError(parties))
                .add(BigInteger.TWO);
    }

    /** Exact BFV decoding round(t x / Q_l) mod t with big integers, to cross-check the RNS decoder. */
    public static long[] exactDecode(Parameters params, Poly phase) {
        int limbs = phase.limbCount();
        BigInteger q = params.modulusAtLevel(limbs);
        BigInteger t = BigInteger.valueOf(params.plaintextModulus());
        long[] primes = params.primes();
        BigInteger[] basis = new BigInteger[limbs];
        for (int j = 0; j < limbs; j++) {
            BigInteger pj = BigInteger.valueOf(primes[j]);
            BigInteger qj = q.divide(pj);
            basis[j] = qj.multiply(qj.modInverse(pj));
        }
        long[] out = new long[params.n()];
        for (int i = 0; i < params.n(); i++) {
            BigInteger x = BigInteger.ZERO;
            for (int j = 0; j < limbs; j++) {
                x = x.add(basis[j].multiply(BigInteger.valueOf(phase.limb(j)[i])));
            }
            x = x.mod(q);
            BigInteger r = x.multiply(t).shiftLeft(1).add(q).divide(q.shiftLeft(1)); // round(t x / Q)
            out[i] = r.mod(t).longValue();
        }
        return out;
    }

    public static double log2(BigInteger x) {
        return x.signum() == 0 ? 0 : x.bitLength() - 1 + Math.log(x.shiftRight(Math.max(0, x.bitLength() - 53)).doubleValue()
                / Math.pow(2, Math.min(52, x.bitLength() - 1))) / Math.log(2);
    }
}
