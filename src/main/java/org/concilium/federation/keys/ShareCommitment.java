package org.concilium.federation.keys;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A member's commitment to its CKG share b_i: SHA-256 over a domain label, the ceremony binding,
 * the member's id and the share's exact encoding. Binding by collision resistance; hiding because
 * b_i = −s_i·a + e_i is an RLWE sample with far more than 128 bits of min-entropy. Deterministic,
 * so a member that restarts commits to the same share again. The member's id is inside so that
 * nobody can adopt another member's commitment and reveal a copy of its share.
 */
public final class ShareCommitment {

    public static final int LENGTH = 32;
    private static final String LABEL = "concilium-ckg-commitment-v1";

    private ShareCommitment() {
    }

    public static byte[] digest(CeremonyBinding b, String site, byte[] share) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(LABEL);
            out.writeUTF(b.networkId());
            out.writeLong(b.epoch());
            out.writeUTF(b.ceremonyId());
            out.writeUTF(site);
            out.writeInt(share.length);
            out.flush();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes.toByteArray());
            sha.update(share);
            return sha.digest();
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
