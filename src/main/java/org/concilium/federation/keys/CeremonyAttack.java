package org.concilium.federation.keys;

/**
 * The deviations from the key ceremony a site recognises, by the name its refusal carries
 * (docs/network-protocol.md, "Key ceremony", says what each one stops).
 */
public enum CeremonyAttack {
    /** A share asked for while a member's commitment is missing: its author could still choose it. */
    SHARE_BEFORE_COMMITMENTS(422),
    /** A share asked for after this site accepted the epoch's key: the ceremony is over. */
    SHARE_AFTER_CEREMONY(409),
    /** A share in the transcript whose author has no commitment in it. */
    SHARE_WITHOUT_COMMITMENT(422),
    /** A share that is not the one its author committed to: chosen after seeing the others (rogue key). */
    ROGUE_KEY_SHARE(422),
    /** A set of commitments other than the one this site revealed its share against. */
    COMMITMENTS_CHANGED(422),
    /** A member's share missing from the transcript, or a member present twice. */
    INCOMPLETE_CEREMONY(422),
    /** A message signed by a site that is not a member of the network. */
    NOT_A_MEMBER(422),
    /** A message bound to another network, epoch, ceremony or round (a replay). */
    WRONG_BINDING(422),
    /** A message whose signature does not verify under its sender's pinned certificate. */
    BAD_SIGNATURE(422),
    /** This site's own commitment or share is absent or altered. */
    OWN_SHARE_ALTERED(422),
    /** A share that does not parse as its author's CKG share for this epoch's CRP. */
    MALFORMED_SHARE(422),
    /** A different collective key is already established for this epoch. */
    KEY_CONFLICT(409);

    private final int status;

    CeremonyAttack(int status) {
        this.status = status;
    }

    int status() {
        return status;
    }
}
