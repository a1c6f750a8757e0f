package org.concilium.mhe.rlwe;

import java.util.Arrays;

/**
 * Unchecked description of a parameter set; {@link #build()} validates every field and returns
 * immutable {@link Parameters}, or throws. Only named sets should reach production code.
 */
public final class ParametersLiteral {
    private String name;
    private int id = -1;
    private int logN;
    private long[] primes;
    private long plaintextModulus;
    private int maxParties;
    private double sigma = 3.2;

    public static ParametersLiteral builder() {
        return new ParametersLiteral();
    }

    /** Name; a set failing the 128-bit HomomorphicEncryption.org bound must be named INSECURE_*. */
    public ParametersLiteral name(String name) {
        this.name = name;
        return this;
    }

    /** Identifier written into every encoding header (1..65535). */
    public ParametersLiteral id(int id) {
        this.id = id;
        return this;
    }

    public ParametersLiteral logN(int logN) {
        this.logN = logN;
        return this;
    }

    public ParametersLiteral ciphertextPrimes(long... primes) {
        this.primes = primes.clone();
        return this;
    }

    public ParametersLiteral plaintextModulus(long t) {
        this.plaintextModulus = t;
        return this;
    }

    /** Largest number of parties (sites) the noise analysis must hold for. */
    public ParametersLiteral maxParties(int maxParties) {
        this.maxParties = maxParties;
        return this;
    }

    public ParametersLiteral sigma(double sigma) {
        this.sigma = sigma;
        return this;
    }

    public Parameters build() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        if (id < 1 || id > 0xFFFF) {
            throw new IllegalArgumentException("id must be in [1, 65535]");
        }
        if (primes == null) {
            throw new IllegalArgumentException("ciphertext primes are required");
        }
        return new Parameters(name, id, logN, primes.clone(), plaintextModulus, maxParties, sigma);
    }

    @Override
    public String toString() {
        return "ParametersLiteral[" + name + ", logN=" + logN + ", primes=" + Arrays.toString(primes)
                + ", t=" + plaintextModulus + "]";
    }
}
