package org.concilium.mhe.rlwe;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** SHA-256 of an object's exact encoding: binds protocol shares to the object they are for. */
public final class Fingerprint {
    public static final int LENGTH = 32;
    private final byte[] value;

    private Fingerprint(byte[] value) {
        this.value = value;
    }

    public static Fingerprint of(byte[] encoding) {
        try {
            return new Fingerprint(MessageDigest.getInstance("SHA-256").digest(encoding));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Fingerprint fromBytes(byte[] raw) {
        if (raw.length != LENGTH) {
            throw new MalformedEncodingException("fingerprint must be 32 bytes");
        }
        return new Fingerprint(raw.clone());
    }

    public byte[] toBytes() {
        return value.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && MessageDigest.isEqual(f.value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Fingerprint(" + hex().substring(0, 16) + "…)";
    }
}
