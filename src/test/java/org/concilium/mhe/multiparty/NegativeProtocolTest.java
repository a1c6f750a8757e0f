package org.concilium.mhe.multiparty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.concilium.mhe.InsecureParameters;
import org.concilium.mhe.bfv.Decryptor;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Misuse that must fail loudly, and forgeries that must not decrypt to the plain sum. */
class NegativeProtocolTest {
    private final Parameters params = InsecureParameters.INSECURE_N2048_Q110_T33;
    private final int n = 4;
    private Network net;
    private long[][] v;
    private long[] expected;
    private Ciphertext sumA;
    private Ciphertext sumB;

    @BeforeEach
    void setUp() {
        net = new Network(params, n);
        v = net.siteVectors(99);
        expected = Network.plainSum(v);
        sumA = net.encryptedSum(v);
        long[][] w = net.siteVectors(100);
        sumB = net.encryptedSum(w);
    }

    @Test
    void secondShareForTheSameCiphertextIsRefused() {
        CollectiveKeySwitch cks = new CollectiveKeySwitch(params, n);
        PublicKeySwitch pcks = new PublicKeySwitch(params, n);
        KeySwitchParty p0 = net.parties.get(0);
        CksShare first = cks.genShare(p0, sumA);
        assertThrows(IllegalStateException.class, () -> cks.genShare(p0, sumA));
        KeyGenerator.KeyPair q = KeyGenerator.generateKeyPair(params);
        assertThrows(IllegalStateException.class, () -> pcks.genShare(p0, sumA, q.publicKey()));
        // a deserialized copy of the same ciphertext is the same ciphertext
        Ciphertext copy = Ciphertext.fromBytes(params, sumA.toBytes());
        assertThrows(IllegalStateException.class, () -> cks.genShare(p0, copy));
        // after a restart, the persisted fingerprints restore the guard
        KeySwitchParty restarted = new KeySwitchParty(net.shares.get(0), p0.sharedCiphertexts());
        assertThrows(IllegalStateException.class, () -> cks.genShare(restarted, sumA));
        assertTrue(restarted.hasShared(sumA));
        assertEquals(Set.of(sumA.maskFingerprint()), restarted.sharedCiphertexts());
        // the same c1 with another c0 is refused as well
        Ciphertext sameMask = Ciphertext.of(params, sumB.c0(), sumA.c1());
        assertThrows(IllegalStateException.class, () -> cks.genShare(p0, sameMask));
        // the retry path: re-send the persisted bytes, which decode to the identical share
        assertEquals(first.ciphertext(), CksShare.fromBytes(params, first.toBytes()).ciphertext());
        assertEquals(first.share(), CksShare.fromBytes(params, first.toBytes()).share());
        // another ciphertext is fine
        cks.genShare(p0, sumB);
    }

    @Test
    void aggregatingSharesOfDifferentCiphertextsIsRefused() {
        CollectiveKeySwitch cks = new CollectiveKeySwitch(params, n);
        List<CksShare> mixed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            mixed.add(cks.genShare(net.parties.get(i), i == 2 ? sumB : sumA));
        }
        assertThrows(IllegalArgumentException.class, () -> cks.aggregate(mixed));
    }

    @Test
    void relabelledSharesOfAnotherCiphertextDoNotDecryptToThePlainSum() {
        CollectiveKeySwitch cks = new CollectiveKeySwitch(params, n);
        List<CksShare> forged = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CksShare s = cks.genShare(net.parties.get(i), i == 2 ? sumB : sumA);
            // a malicious aggregator rewrites the binding; the mathematics still refuses to cooperate
            forged.add(new CksShare(params, sumA.fingerprint(), s.firstParty(), s.partyCount(), s.share()));
        }
        long[] got = net.encoder.decode(cks.finalize(sumA, cks.aggregate(forged)));
        assertFalse(Arrays.equals(expected, got));
        assertTrue(mismatches(expected, got) > params.n() / 2, "garbage in most slots");
    }

    @Test
    void finalizingForAnotherCiphertextIsRefused() {
        CollectiveKeySwitch cks = new CollectiveKeySwitch(params, n);
        List<CksShare> shares = new ArrayList<>();
        for (KeySwitchParty p : net.parties) {
            shares.add(cks.genShare(p, sumA));
        }
        CksShare agg = cks.aggregate(shares);
        assertThrows(IllegalArgumentException.class, () -> cks.finalize(sumB, agg));
    }

    @Test
    void aMissingPartyIsDetectedAndCannotYieldThePlainSum() {
        CollectiveKeySwitch cks = new CollectiveKeySwitch(params, n);
        List<CksShare> shares = new ArrayList<>();
        for (KeySwitchParty p : net.parties) {
            shares.add(cks.genShare(p, sumA));
        }
        // gap in the middle: aggregate refuses
        List<CksShare> gap = new ArrayList<>(shares);
        gap.remove(1);
        assertThrows(IllegalArgumentException.class, () -> cks.aggregate(gap));
        // last party missing: aggregate is fine but covers n - 1 parties, finalize refuses
        CksShare partial = cks.aggregate(shares.subList(0, n - 1));
        assertEquals(n - 1, partial.partyCount());
        assertThrows(IllegalStateException.class, () -> cks.finalize(sumA, partial));
        // duplicates are refused
        List<CksShare> dup = new ArrayList<>(shares);
        dup.add(shares.get(0));
        assertThrows(IllegalArgumentException.class, () -> cks.aggregate(dup));
        // a caller that believes there are only n - 1 parties gets garbage, not the sum
        CollectiveKeySwitch wrong = new CollectiveKeySwitch(params, n - 1);
        long[] got = net.encoder.decode(wrong.finalize(sumA, partial));
        assertTrue(mismatches(expected, got) > params.n() / 2);
        // and the full set still works
        assertArrayEquals(expected, net.encoder.decode(cks.finalize(sumA, cks.aggregate(shares))));
    }

    @Test
    void pcksRefusesMixedTargetsAndMissingParties() {
        PublicKeySwitch pcks = new PublicKeySwitch(params, n);
        KeyGenerator.KeyPair q1 = KeyGenerator.generateKeyPair(params);
        KeyGenerator.KeyPair q2 = KeyGenerator.generateKeyPair(params);
        List<PcksShare> mixed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            mixed.add(pcks.genShare(net.parties.get(i), sumA, i == 0 ? q2.publicKey() : q1.publicKey()));
        }
        assertThrows(IllegalArgumentException.class, () -> pcks.aggregate(mixed));
        PcksShare partial = pcks.aggregate(mixed.subList(1, n));
        assertThrows(IllegalStateException.class, () -> pcks.finalize(sumA, q1.publicKey(), partial));
        // forging the missing party's range does not decrypt to the sum
        PcksShare relabelled = new PcksShare(params, partial.ciphertext(), partial.target(), 0, n, partial.h0(), partial.h1());
        Ciphertext out = pcks.finalize(sumA, q1.publicKey(), relabelled);
        long[] got = net.encoder.decode(Decryptor.decrypt(q1.secretKey(), out));
        assertTrue(mismatches(expected, got) > params.n() / 2);
        // wrong target on finalize
        PcksShare agg = pcks.aggregate(List.of(pcks.genShare(net.parties.get(0), sumB, q1.publicKey()),
                pcks.genShare(net.parties.get(1), sumB, q1.publicKey()), pcks.genShare(net.parties.get(2), sumB, q1.publicKey()),
                pcks.genShare(net.parties.get(3), sumB, q1.publicKey())));
        assertThrows(IllegalArgumentException.class, () -> pcks.finalize(sumB, q2.publicKey(), agg));
    }

    @Test
    void ckgRefusesMissingPartiesAndForeignCrps() {
        CollectivePublicKeyGen ckg = new CollectivePublicKeyGen(params, n);
        Crp a = ckg.sampleCrp(new byte[] {1});
        Crp b = ckg.sampleCrp(new byte[] {2});
        List<CkgShare> shares = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            shares.add(ckg.genShare(net.shares.get(i), i == 1 ? b : a));
        }
        assertThrows(IllegalArgumentException.class, () -> ckg.aggregate(shares));
        List<CkgShare> good = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            good.add(ckg.genShare(net.shares.get(i), a));
        }
        assertThrows(IllegalStateException.class, () -> ckg.finalize(ckg.aggregate(good), a));
        good.add(ckg.genShare(net.shares.get(n - 1), a));
        assertThrows(IllegalArgumentException.class, () -> ckg.finalize(ckg.aggregate(good), b));
    }

    @Test
    void treeAggregationEqualsStarAggregation() {
        CollectiveKeySwitch cks = new CollectiveKeySwitch(params, n);
        List<CksShare> shares = new ArrayList<>();
        for (KeySwitchParty p : net.parties) {
            shares.add(cks.genShare(p, sumA));
        }
        CksShare left = cks.aggregate(shares.subList(0, 2));
        CksShare right = cks.aggregate(shares.subList(2, 4));
        CksShare tree = cks.aggregate(List.of(right, left));
        assertEquals(cks.aggregate(shares).share(), tree.share());
        assertArrayEquals(expected, net.encoder.decode(cks.finalize(sumA, tree)));
    }

    private static int mismatches(long[] a, long[] b) {
        int c = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                c++;
            }
        }
        return c;
    }
}
