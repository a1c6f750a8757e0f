package org.concilium.mhe.rlwe;

/** The kind byte of an encoding header. Values are part of the wire format: never renumber. */
public enum ObjectKind {
    PUBLIC_KEY(1),
    SECRET_KEY_SHARE(2),
    CIPHERTEXT(3),
    CKG_SHARE(4),
    CKS_SHARE(5),
    PCKS_SHARE(6),
    SEALED_SECRET_KEY_SHARE(7),
    SEEDED_PUBLIC_KEY(8);

    private final int code;

    ObjectKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ObjectKind fromCode(int code) {
        for (ObjectKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new MalformedEncodingException("unknown object kind " + code);
    }
}
