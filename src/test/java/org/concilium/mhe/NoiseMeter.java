package org.concilium.mhe;

import java.math.BigInteger;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Parameters;

/** Test-side exact noise measurement with big integers: ||phase - Delta m mod Q||_inf, centred. */
public final class NoiseMeter {
    private NoiseMeter() {
    }

    /** @param phase coefficient form; @param m plaintext coefficients in [0, t) */
    public static BigInteger infNorm(Parameters params, Poly phase, long[] m) {
        BigInteger q = params.modulusQ();
        BigInteger half = q.shiftRight(1);
        int limbs = params.limbCount();
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
            x = x.subtract(params.delta().multiply(BigInteger.valueOf(m[i]))).mod(q);
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

    /** Exact BFV decoding round(t x / Q) mod t with big integers, to cross-check the RNS decoder. */
    public static long[] exactDecode(Parameters params, Poly phase) {
        BigInteger q = params.modulusQ();
        BigInteger t = BigInteger.valueOf(params.plaintextModulus());
        int limbs = params.limbCount();
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
