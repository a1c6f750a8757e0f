package org.concilium.federation.peer;

/** Every peer message kind, with the round number its envelope is bound to and its URL path. */
public enum PeerRound {
    /** Key ceremony: a member's CKG share, revealed only against every member's signed commitment. */
    CKG_SHARE(1, "ckg-share"),
    /** Key ceremony: the transcript (every signed commitment and share) the coordinator forwards. */
    CKG_RESULT(2, "ckg-result"),
    KEY_HASH(3, "key-hash"),
    /** Key ceremony: a member's signed commitment to its CKG share, before anyone reveals a share. */
    CKG_COMMIT(4, "ckg-commit"),
    /** Publication, phase two: store the checked package and activate its compiled logic. */
    PUBLISH(10, "publish"),
    /** Publication, phase one: compile and check the package here; answer its hash and any problems. */
    PUBLISH_CHECK(11, "publish-check"),
    /** The query request; answered with a signed commitment to the site's contribution. */
    CONTRIBUTE(20, "contribute"),
    KEYSWITCH(21, "keyswitch"),
    ABORT(22, "abort"),
    /** Every site's commitment; answered with the contribution itself (a signed ciphertext). */
    REVEAL(23, "reveal"),
    /** The hash of the privacy policy in the answering site's descriptor (readiness). */
    POLICY_HASH(24, "policy-hash");

    private final int number;
    private final String path;

    PeerRound(int number, String path) {
        this.number = number;
        this.path = path;
    }

    public int number() {
        return number;
    }

    public String path() {
        return path;
    }

    public static PeerRound byPath(String path) {
        for (PeerRound r : values()) {
            if (r.path.equals(path)) {
                return r;
            }
        }
        return null;
    }
}
