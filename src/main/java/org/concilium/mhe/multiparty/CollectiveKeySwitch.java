package org.concilium.mhe.multiparty;

import java.util.List;
import org.concilium.mhe.bfv.Decryptor;
import org.concilium.mhe.bfv.Plaintext;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.RandomSource;
import org.concilium.mhe.ring.Ring;
import org.concilium.mhe.ring.SmudgingSampler;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.SecretKeyShare;

/**
 * CKS towards the zero key, i.e. collective decryption (Mouchet et al. 2021, Protocol 2): party i
 * sends h_i = s_i c1 + E_i with E_i uniform smudging noise in [-2^b, 2^b); c0 + sum h_i = Delta m
 * + e + sum E_i decodes to m. The result is public to whoever sees the shares: use PCKS when only
 * one querier may learn it.
 */
public final class CollectiveKeySwitch {
    private final Parameters params;
    private final int parties;

    public CollectiveKeySwitch(Parameters params, int parties) {
        if (parties < 1 || parties > params.maxParties()) {
            throw new IllegalArgumentException("parties must be in [1, " + params.maxParties() + "]");
        }
        this.params = params;
        this.parties = parties;
    }

    /** Delegates to the party's once-per-ciphertext guard. */
    public CksShare genShare(KeySwitchParty party, Ciphertext ct) {
        requireParams(ct.parameters());
        return party.genCksShare(ct);
    }

    static CksShare computeShare(SecretKeyShare sk, Ciphertext ct, RandomSource random) {
        Parameters params = ct.parameters();
        Ring ring = params.ring();
        requireFullLevel(ct);
        Poly h = ring.newPoly();
        sk.multiplyAddC1(ct, h);
        ring.intt(h);
        // smudge at the full modulus, then rescale: the sent share is a function of the smudged one
        ring.add(h, new SmudgingSampler(ring, params.smudgingBits()).sample(random), h);
        return new CksShare(params, ct.fingerprint(), sk.partyIndex(), 1, ring.rescaleInPlace(h, params.transmitLimbs()));
    }

    /**
     * Sums shares of adjacent parties for the same ciphertext.
     *
     * @throws IllegalArgumentException on shares of different ciphertexts, gaps or duplicates
     */
    public CksShare aggregate(List<CksShare> shares) {
        List<CksShare> sorted = PartyRange.contiguous(shares);
        CksShare first = sorted.get(0);
        Ring ring = params.ring();
        Poly acc = first.share();
        int count = 0;
        for (CksShare s : sorted) {
            requireParams(s.parameters());
            if (!s.ciphertext().equals(first.ciphertext())) {
                throw new IllegalArgumentException("shares of different ciphertexts cannot be aggregated");
            }
            if (s != first) {
                ring.add(acc, s.view(), acc);
            }
            count += s.partyCount();
        }
        return new CksShare(params, first.ciphertext(), first.firstParty(), count, acc);
    }

    /**
     * Decrypts {@code ct} with the aggregate of every party's share.
     *
     * @throws IllegalStateException if the aggregate misses a party
     * @throws IllegalArgumentException if it is for another ciphertext
     */
    public Plaintext finalize(Ciphertext ct, CksShare aggregate) {
        Poly phase = finalizePhase(ct, aggregate);
        return Decryptor.decodePhase(params, phase);
    }

    static void requireFullLevel(Ciphertext ct) {
        if (ct.limbs() != ct.parameters().limbCount()) {
            throw new IllegalArgumentException("key switching needs a full-level ciphertext");
        }
    }

    /** c0 + sum h_i in coefficient form at the transmit level (exposed to tests for noise measurement). */
    Poly finalizePhase(Ciphertext ct, CksShare aggregate) {
        requireParams(ct.parameters());
        requireFullLevel(ct);
        PartyRange.requireAll(aggregate, parties);
        if (!aggregate.ciphertext().equals(ct.fingerprint())) {
            throw new IllegalArgumentException("aggregate is for another ciphertext");
        }
        Ring ring = params.ring();
        Poly c0 = ct.c0();
        ring.intt(c0);
        Poly phase = ring.rescaleInPlace(c0, params.transmitLimbs());
        ring.add(phase, aggregate.view(), phase);
        return phase;
    }

    private void requireParams(Parameters p) {
        if (!p.equals(params)) {
            throw new IllegalArgumentException("object under other parameters: " + p.name());
        }
    }
}
