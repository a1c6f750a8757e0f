package org.concilium.federation.query;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.Ring;
import org.concilium.mhe.rlwe.Ciphertext;

/**
 * Checks on the sum a site is asked to key-switch that no honest run can fail (up to a
 * probability below 2^-30). They are tripwires, not the defence: commit-then-reveal is what makes
 * the sum's c1 uniform (docs/network-protocol.md); these name the crude attacks when a check
 * before them would also have refused.
 *
 * <ul>
 * <li>{@link Attack#SHARE_EXTRACTION}: c1 must look uniform. An honest c1 is a sum of RLWE masks
 *     a·u + e, pseudo-random in R_Q: its N NTT values and its N coefficients in the first limb
 *     (≈ 2^60 each) are practically all distinct. A constant such as ⌊Q/4⌋, or a sparse or
 *     repeating polynomial, has many equal values in one of the two domains.</li>
 * <li>{@link Attack#CANCELLATION}: no contribution's c1 is 0, no two cancel (c1_i + c1_j = 0), and
 *     the sum's c1 is not that of a single contribution (the others cancelled).</li>
 * <li>{@link Attack#COPIED_CONTRIBUTION}: no two contributions share c1.</li>
 * </ul>
 */
final class SumTripwires {

    private SumTripwires() {
    }

    static void check(Ciphertext sum, Map<String, Ciphertext> bySite, AttackRefusal refusal) {
        Ring ring = sum.parameters().ring();
        Poly c1 = sum.c1();
        int nttDistinct = distinct(c1.limb(0));
        Poly coefficients = c1.copy();
        ring.intt(coefficients);
        int coeffDistinct = distinct(coefficients.limb(0));
        int n = c1.n();
        if (nttDistinct < n / 2 || coeffDistinct < n / 2) {
            refusal.add(Attack.SHARE_EXTRACTION, "the sum's c1 is structured (" + nttDistinct + " distinct NTT values, "
                    + coeffDistinct + " distinct coefficients of " + n + "): a share on it would reveal this site's"
                    + " secret key share");
        }
        // O(n): each c1 and its negation looked up among the ones seen before
        Map<Poly, String> seen = new HashMap<>();
        Poly zero = ring.newPoly(c1.limbCount());
        for (Map.Entry<String, Ciphertext> e : bySite.entrySet()) {
            Poly ci = e.getValue().c1();
            if (ci.equals(zero)) {
                refusal.add(Attack.CANCELLATION, "the contribution of " + e.getKey() + " has c1 = 0");
            }
            if (bySite.size() > 1 && ci.equals(c1)) {
                refusal.add(Attack.CANCELLATION, "the sum's c1 is that of " + e.getKey()
                        + "'s contribution alone: the others cancel");
            }
            Poly negated = ring.newPoly(c1.limbCount());
            ring.neg(ci, negated);
            String cancelled = seen.get(negated);
            if (cancelled != null) {
                refusal.add(Attack.CANCELLATION, "the contributions of " + cancelled + " and " + e.getKey() + " cancel");
            }
            String copied = seen.putIfAbsent(ci, e.getKey());
            if (copied != null) {
                refusal.add(Attack.COPIED_CONTRIBUTION, e.getKey() + "'s contribution has the c1 of " + copied + "'s");
            }
        }
    }

    private static int distinct(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int d = sorted.length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                d++;
            }
        }
        return d;
    }
}
