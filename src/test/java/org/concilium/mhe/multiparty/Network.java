package org.concilium.mhe.multiparty;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.concilium.mhe.bfv.BatchEncoder;
import org.concilium.mhe.bfv.Encryptor;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.PublicKey;
import org.concilium.mhe.rlwe.SecretKeyShare;

/** Test fixture: n parties that ran CKG, each holding a key-switch party and an encrypted vector. */
final class Network {
    final Parameters params;
    final int n;
    final List<SecretKeyShare> shares = new ArrayList<>();
    final List<KeySwitchParty> parties = new ArrayList<>();
    final PublicKey collectiveKey;
    final BatchEncoder encoder;

    Network(Parameters params, int n) {
        this.params = params;
        this.n = n;
        this.encoder = new BatchEncoder(params);
        CollectivePublicKeyGen ckg = new CollectivePublicKeyGen(params, n);
        Crp crp = ckg.sampleCrp("network-1/epoch-1".getBytes(StandardCharsets.US_ASCII));
        List<CkgShare> ckgShares = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SecretKeyShare s = SecretKeyShare.generate(params, i);
            shares.add(s);
            parties.add(new KeySwitchParty(s));
            ckgShares.add(ckg.genShare(s, crp));
        }
        collectiveKey = ckg.finalize(ckg.aggregate(ckgShares), crp);
    }

    /** Random per-site vectors whose sum covers the full signed slot range (extremes forced in slots 0, 1). */
    long[][] siteVectors(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long lo = encoder.minSlotValue() / n;
        long hi = encoder.maxSlotValue() / n;
        long[][] v = new long[n][params.n()];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < params.n(); i++) {
                v[s][i] = rnd.nextLong(lo, hi + 1);
            }
            v[s][0] = hi;
            v[s][1] = lo;
        }
        return v;
    }

    static long[] plainSum(long[][] v) {
        long[] sum = new long[v[0].length];
        for (long[] row : v) {
            for (int i = 0; i < row.length; i++) {
                sum[i] += row[i];
            }
        }
        return sum;
    }

    Ciphertext encryptedSum(long[][] v) {
        Encryptor enc = new Encryptor(collectiveKey);
        List<Ciphertext> cts = new ArrayList<>();
        for (long[] row : v) {
            cts.add(enc.encrypt(encoder.encode(row)));
        }
        return Ciphertext.sum(cts);
    }

    /** c0 + s c1 under the collective secret s = sum s_i (coefficient form), for noise measurement. */
    Poly collectivePhase(Ciphertext ct) {
        Poly phase = ct.c0();
        Poly c1 = ct.c1();
        for (SecretKeyShare s : shares) {
            s.multiplyAddNtt(c1, phase);
        }
        params.ring().intt(phase);
        return phase;
    }
}
