package org.concilium.federation.query;

/**
 * The deviations of an entry node (or of any member) that a site recognises in the query
 * protocol, by the name that crosses the wire in its refusal. Each is the category of a
 * {@link org.concilium.federation.peer.PeerRefusal}; docs/network-protocol.md says what each one
 * stops.
 */
public enum Attack {
    /** Reveals asked for while a member's commitment is missing (or a member appears twice). */
    REVEAL_BEFORE_COMMITMENTS,
    /** A revealed contribution whose hash is not its author's commitment (chosen after the reveals). */
    COMMITMENT_MISMATCH,
    /** A commitment or contribution bound to another query, round, network or epoch. */
    REPLAY,
    /** A commitment or contribution whose signature does not verify under its sender's pinned certificate. */
    BAD_SIGNATURE,
    /** This site's own commitment or contribution is absent or altered. */
    OWN_CONTRIBUTION_ALTERED,
    /** The key switch is not over exactly one contribution of every member. */
    INCOMPLETE_AGGREGATE,
    /** The announced fingerprint is not that of the sum of the contributions. */
    AGGREGATE_MISMATCH,
    /** The sum's c1 is structured (e.g. a constant): a share on it would expose this site's secret share. */
    SHARE_EXTRACTION,
    /** Contributions cancel out, so the sum would be one site's (or a subset's) vector. */
    CANCELLATION,
    /** Two members' contributions share c1 (one copied another's ciphertext). */
    COPIED_CONTRIBUTION,
    /** This site already released a share for a ciphertext with this c1 (another query). */
    SECOND_SHARE_SAME_C1,
    /** The key switch was asked for before this site revealed its contribution. */
    KEYSWITCH_BEFORE_REVEAL
}
