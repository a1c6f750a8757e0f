package org.concilium.federation.query;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.identity.EnvelopeHeader;
import org.concilium.federation.identity.PeerProtocolException;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.peer.PeerRound;

/**
 * The commitments of one query, one per member, each verified: signed by its sender under the
 * pinned certificate, bound to this network, epoch, query and the contribute round, 32 bytes. A
 * site holds a complete set before it reveals anything, and checks every revealed contribution
 * against it before its key-switch share.
 */
final class CommitmentSet {

    private final Map<String, byte[]> digests;

    private CommitmentSet(Map<String, byte[]> digests) {
        this.digests = digests;
    }

    /**
     * Verifies {@code envelopes} as the complete commitment set of {@code queryId}, which must hold
     * {@code own} (this site's signed commitment) byte for byte. Refuses naming every attack found.
     */
    static CommitmentSet verify(NetworkContext.Membership m, String queryId, byte[] own, List<byte[]> envelopes) {
        AttackRefusal refusal = new AttackRefusal();
        Map<String, byte[]> digests = new LinkedHashMap<>();
        boolean ownPresent = false;
        for (byte[] wire : envelopes) {
            SignedEnvelope c;
            try {
                c = SignedEnvelope.decode(wire);
                c.verify(m.descriptor().certificate(c.header().sender()));
            } catch (PeerProtocolException | IllegalArgumentException e) {
                refusal.add(Attack.BAD_SIGNATURE, "a commitment does not verify: " + e.getMessage());
                continue;
            }
            EnvelopeHeader h = c.header();
            if (!h.queryId().equals(queryId) || h.round() != PeerRound.CONTRIBUTE.number()
                    || !h.networkId().equals(m.networkId()) || h.epoch() != m.epoch()) {
                refusal.add(Attack.REPLAY, "the commitment of " + h.sender() + " is bound to query " + h.queryId()
                        + " round " + h.round() + ", not to " + queryId);
                continue;
            }
            if (c.payload().length != Commitment.LENGTH) {
                refusal.add(Attack.BAD_SIGNATURE, "the commitment of " + h.sender() + " is not a 32-byte digest");
                continue;
            }
            if (digests.putIfAbsent(h.sender(), c.payload()) != null) {
                refusal.add(Attack.REVEAL_BEFORE_COMMITMENTS, h.sender() + " appears twice among the commitments");
            }
            ownPresent |= Arrays.equals(wire, own);
        }
        List<String> missing = m.sites().stream().map(s -> s.id()).filter(id -> !digests.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            refusal.add(Attack.REVEAL_BEFORE_COMMITMENTS, "no valid commitment of " + missing + " yet");
        }
        if (!ownPresent && digests.containsKey(m.siteId())) {
            refusal.add(Attack.OWN_CONTRIBUTION_ALTERED, "this site's commitment is not the one it signed");
        }
        refusal.throwIfAny();
        return new CommitmentSet(digests);
    }

    /**
     * The set this site verified with {@link #verify} and persisted before it revealed (round 23),
     * read back for the key switch without checking the signatures a second time: the database
     * row is written only after the verification passed, and nobody else writes it.
     */
    static CommitmentSet persisted(List<byte[]> envelopes) {
        Map<String, byte[]> digests = new LinkedHashMap<>();
        for (byte[] wire : envelopes) {
            SignedEnvelope c = SignedEnvelope.decode(wire);
            digests.put(c.header().sender(), c.payload());
        }
        return new CommitmentSet(digests);
    }

    /** Whether {@code ciphertext} is what {@code site} committed to for {@code queryId}. */
    boolean matches(NetworkContext.Membership m, String queryId, String site, byte[] ciphertext) {
        byte[] committed = digests.get(site);
        return committed != null && java.security.MessageDigest.isEqual(committed,
                Commitment.digest(m.networkId(), m.epoch(), queryId, site, ciphertext));
    }
}
