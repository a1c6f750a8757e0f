package org.concilium.federation.keys;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * A member's revealed CKG share, bound to the fingerprint of the commitment set it was revealed
 * against (so a share cannot be carried into a transcript with other commitments). Payload of a
 * signed {@code CKG_SHARE} envelope. Encoding: {@code u8 version=1 | 32-byte set fingerprint |
 * u32 length | CKG share}, nothing after.
 */
public record ShareReveal(byte[] commitments, byte[] share) {

    private static final int VERSION = 1;

    public ShareReveal {
        if (commitments.length != ShareCommitment.LENGTH) {
            throw new IllegalArgumentException("a commitment-set fingerprint is 32 bytes");
        }
        commitments = commitments.clone();
        share = share.clone();
    }

    @Override
    public byte[] commitments() {
        return commitments.clone();
    }

    @Override
    public byte[] share() {
        return share.clone();
    }

    public byte[] encode() {
        return ByteBuffer.allocate(1 + ShareCommitment.LENGTH + 4 + share.length).put((byte) VERSION).put(commitments)
                .putInt(share.length).put(share).array();
    }

    public static ShareReveal decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            int version = b.get() & 0xff;
            if (version != VERSION) {
                throw CeremonyRefusal.malformed("share reveal version " + version);
            }
            byte[] set = new byte[ShareCommitment.LENGTH];
            b.get(set);
            int len = b.getInt();
            if (len < 0 || len != b.remaining()) {
                throw CeremonyRefusal.malformed("share length " + Integer.toUnsignedString(len) + " with "
                        + b.remaining() + " bytes left");
            }
            byte[] share = new byte[len];
            b.get(share);
            return new ShareReveal(set, share);
        } catch (BufferUnderflowException e) {
            throw CeremonyRefusal.malformed("share reveal ends early");
        }
    }
}
