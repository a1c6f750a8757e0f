package org.concilium.federation.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.identity.PeerProtocolException;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.peer.PeerRound;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.MalformedEncodingException;

/**
 * What a site checks before it helps decrypt: the sum of exactly one revealed contribution of
 * every member for this query, each signed by its author, bound to this query's reveal round and
 * equal to its author's commitment, this site's own unchanged. Then tripwires on the sum itself
 * (a structured c1, cancelling or copied contributions) and the one-share-per-c1 guard. Every
 * failed check is named in the refusal.
 */
final class VerifiedAggregate {

    private VerifiedAggregate() {
    }

    /**
     * @param earlierShareForMask the query an earlier share for a c1 fingerprint (hex) was released
     *     in, if any: the persisted guard
     */
    static Ciphertext sum(NetworkContext.Membership m, String queryId, CommitmentSet commitments, byte[] ownContribution,
            List<byte[]> contributions, Function<String, java.util.Optional<String>> earlierShareForMask) {
        AttackRefusal refusal = new AttackRefusal();
        Map<String, Ciphertext> bySite = new LinkedHashMap<>();
        boolean ownPresent = false;
        for (byte[] wire : contributions) {
            SignedEnvelope c;
            try {
                c = SignedEnvelope.decode(wire);
                c.verify(m.descriptor().certificate(c.header().sender()));
            } catch (PeerProtocolException | IllegalArgumentException e) {
                refusal.add(Attack.BAD_SIGNATURE, "a contribution does not verify: " + e.getMessage());
                continue;
            }
            EnvelopeHeader h = c.header();
            if (!h.queryId().equals(queryId) || h.round() != PeerRound.REVEAL.number()
                    || !h.networkId().equals(m.networkId()) || h.epoch() != m.epoch()) {
                refusal.add(Attack.REPLAY, "the contribution of " + h.sender() + " is bound to query " + h.queryId()
                        + " round " + h.round() + ", not to " + queryId);
                continue;
            }
            if (bySite.containsKey(h.sender())) {
                refusal.add(Attack.INCOMPLETE_AGGREGATE, "the contribution of " + h.sender() + " appears twice");
                continue;
            }
            if (!commitments.matches(m, queryId, h.sender(), c.payload())) {
                refusal.add(Attack.COMMITMENT_MISMATCH, "the contribution of " + h.sender()
                        + " is not the one it committed to before the reveals");
            }
            ownPresent |= Arrays.equals(wire, ownContribution);
            try {
                bySite.put(h.sender(), Ciphertext.fromBytes(m.params(), c.payload()));
            } catch (MalformedEncodingException e) {
                refusal.add(Attack.BAD_SIGNATURE, "the contribution of " + h.sender() + " is not a ciphertext");
            }
        }
        Set<String> members = new HashSet<>(m.sites().stream().map(s -> s.id()).toList());
        if (!bySite.keySet().equals(members)) {
            Set<String> missing = new HashSet<>(members);
            missing.removeAll(bySite.keySet());
            refusal.add(Attack.INCOMPLETE_AGGREGATE, "the sum must hold one contribution of every site; missing "
                    + missing);
        }
        if (!ownPresent) {
            refusal.add(Attack.OWN_CONTRIBUTION_ALTERED, "this site's contribution is missing or altered");
        }
        if (bySite.isEmpty()) {
            refusal.throwIfAny();
        }
        Ciphertext sum = Ciphertext.sum(new ArrayList<>(bySite.values()));
        SumTripwires.check(sum, bySite, refusal);
        earlierShareForMask.apply(sum.maskFingerprint().hex()).ifPresent(earlier -> refusal.add(
                Attack.SECOND_SHARE_SAME_C1, "a share for a sum with this c1 was released already (query " + earlier + ")"));
        refusal.throwIfAny();
        return sum;
    }
}
