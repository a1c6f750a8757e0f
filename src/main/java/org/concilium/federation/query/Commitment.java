package org.concilium.federation.query;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A site's commitment to its contribution: SHA-256 over a domain label, the network, epoch,
 * query, the reveal round, the committing site and the ciphertext's bytes. Binding by collision
 * resistance; hiding because a fresh BFV ciphertext has far more than 128 bits of entropy. The
 * committer's id is inside so that nobody can adopt another site's commitment as its own and
 * later reveal a copy of that site's ciphertext.
 */
final class Commitment {

    static final int LENGTH = 32;
    private static final String LABEL = "concilium-contribution-commitment-v1";

    private Commitment() {
    }

    static byte[] digest(String networkId, long epoch, String queryId, String site, byte[] ciphertext) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(LABEL);
            out.writeUTF(networkId);
            out.writeLong(epoch);
            out.writeUTF(queryId);
            out.writeInt(org.concilium.federation.peer.PeerRound.REVEAL.number());
            out.writeUTF(site);
            out.flush();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes.toByteArray());
            sha.update(ciphertext);
            return sha.digest();
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
