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
    PUBLISH(10, "publish"),
    CONTRIBUTE(20, "contribute"),
    KEYSWITCH(21, "keyswitch"),
    ABORT(22, "abort");

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
