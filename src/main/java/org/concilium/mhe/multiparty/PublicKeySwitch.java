package org.concilium.mhe.multiparty;

import java.util.List;
import org.concilium.mhe.ring.GaussianSampler;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.RandomSource;
import org.concilium.mhe.ring.Ring;
import org.concilium.mhe.ring.SmudgingSampler;
import org.concilium.mhe.ring.TernarySampler;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.PublicKey;
import org.concilium.mhe.rlwe.SecretKeyShare;

/**
 * PCKS, public-key switch (Mouchet et al. 2021, Protocol 3): re-encrypts a ciphertext under the
 * collective key s into one under a target public key (b', a') = (-s' a' + e', a'), without anyone
 * decrypting. Party i sends (h0, h1) = (s_i c1 + u_i b' + E_i, u_i a' + e1_i) with u_i ternary,
 * e1_i Gaussian and E_i uniform smudging in [-2^b, 2^b); the result (c0 + sum h0, sum h1)
 * decrypts under s' to m.
 */
public final class PublicKeySwitch {
    private final Parameters params;
    private final int parties;

    public PublicKeySwitch(Parameters params, int parties) {
        if (parties < 1 || parties > params.maxParties()) {
            throw new IllegalArgumentException("parties must be in [1, " + params.maxParties() + "]");
        }
        this.params = params;
        this.parties = parties;
    }

    /** Delegates to the party's once-per-ciphertext guard. */
    public PcksShare genShare(KeySwitchParty party, Ciphertext ct, PublicKey target) {
        requireParams(ct.parameters());
        return party.genPcksShare(ct, target);
    }

    static PcksShare computeShare(SecretKeyShare sk, Ciphertext ct, PublicKey target, RandomSource random) {
        Parameters params = ct.parameters();
        Ring ring = params.ring();
        int n = params.n();
        CollectiveKeySwitch.requireFullLevel(ct);
        Poly u = ring.newPoly();
        ring.setSmall(TernarySampler.sample(random, n), u);
        ring.ntt(u);
        Poly h0 = ring.newPoly();
        target.multiplyAddB(u, h0);
        sk.multiplyAddC1(ct, h0);
        ring.intt(h0);
        Poly noise = new SmudgingSampler(ring, params.smudgingBits()).sample(random);
        ring.add(h0, noise, h0);
        Poly h1 = ring.newPoly();
        target.multiplyAddA(u, h1);
        ring.intt(h1);
        ring.setSmall(new GaussianSampler(params.sigma()).sample(random, n), noise);
        ring.add(h1, noise, h1);
        int l = params.transmitLimbs();
        return new PcksShare(params, ct.fingerprint(), target.fingerprint(), sk.partyIndex(), 1,
                ring.rescaleInPlace(h0, l), ring.rescaleInPlace(h1, l));
    }

    /**
     * Sums shares of adjacent parties for the same ciphertext and target.
     *
     * @throws IllegalArgumentException on mixed ciphertexts or targets, gaps or duplicates
     */
    public PcksShare aggregate(List<PcksShare> shares) {
        List<PcksShare> sorted = PartyRange.contiguous(shares);
        PcksShare first = sorted.get(0);
        Ring ring = params.ring();
        Poly a0 = first.h0();
        Poly a1 = first.h1();
        int count = 0;
        for (PcksShare s : sorted) {
            requireParams(s.parameters());
            if (!s.ciphertext().equals(first.ciphertext())) {
                throw new IllegalArgumentException("shares of different ciphertexts cannot be aggregated");
            }
            if (!s.target().equals(first.target())) {
                throw new IllegalArgumentException("shares towards different target keys cannot be aggregated");
            }
            if (s != first) {
                ring.add(a0, s.h0View(), a0);
                ring.add(a1, s.h1View(), a1);
            }
            count += s.partyCount();
        }
        return new PcksShare(params, first.ciphertext(), first.target(), first.firstParty(), count, a0, a1);
    }

    /**
     * The ciphertext under the target key, at the parameters' transmit level.
     *
     * @throws IllegalStateException if the aggregate misses a party
     * @throws IllegalArgumentException if it is for another ciphertext or target
     */
    public Ciphertext finalize(Ciphertext ct, PublicKey target, PcksShare aggregate) {
        requireParams(ct.parameters());
        CollectiveKeySwitch.requireFullLevel(ct);
        PartyRange.requireAll(aggregate, parties);
        if (!aggregate.ciphertext().equals(ct.fingerprint())) {
            throw new IllegalArgumentException("aggregate is for another ciphertext");
        }
        if (!aggregate.target().equals(target.fingerprint())) {
            throw new IllegalArgumentException("aggregate is towards another target key");
        }
        Ring ring = params.ring();
        Poly full = ct.c0();
        ring.intt(full);
        Poly c0 = ring.rescaleInPlace(full, params.transmitLimbs());
        ring.add(c0, aggregate.h0View(), c0);
        Poly c1 = aggregate.h1();
        ring.ntt(c0);
        ring.ntt(c1);
        return Ciphertext.of(params, c0, c1);
    }

    private void requireParams(Parameters p) {
        if (!p.equals(params)) {
            throw new IllegalArgumentException("object under other parameters: " + p.name());
        }
    }
}
