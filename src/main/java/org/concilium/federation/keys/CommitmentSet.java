package org.concilium.federation.keys;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.peer.PeerRound;

/**
 * Every member's signed commitment ({@link PeerRound#CKG_COMMIT} envelopes, as each member signed
 * them). Encoding: {@code u32 count | count × (u32 length | envelope)}, nothing after.
 */
public record CommitmentSet(List<byte[]> envelopes) {

    private static final String LABEL = "concilium-ckg-commitment-set-v1";

    public CommitmentSet {
        envelopes = List.copyOf(envelopes);
    }

    /** The commitments once verified: one digest per member, and the set's fingerprint. */
    public record Verified(Map<String, byte[]> digests, byte[] fingerprint) {
    }

    public byte[] encode() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            MemberEnvelopes.write(out, envelopes);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static CommitmentSet decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            List<byte[]> envelopes = MemberEnvelopes.read(in);
            if (in.available() != 0) {
                throw new IOException("trailing bytes after the commitments");
            }
            return new CommitmentSet(envelopes);
        } catch (IOException e) {
            throw CeremonyRefusal.malformed("commitment set: " + e.getMessage());
        }
    }

    /**
     * Checks every commitment (member, binding, signature, 32 bytes, each member once); deviations
     * go to {@code refusal}, a missing member as {@code whenMissing}.
     */
    Verified verify(CeremonyBinding binding, NetworkDescriptor descriptor, CeremonyAttack whenMissing,
            CeremonyRefusal refusal) {
        Map<String, byte[]> digests = MemberEnvelopes.verify(envelopes, binding, PeerRound.CKG_COMMIT, descriptor,
                whenMissing, refusal);
        digests.forEach((site, d) -> {
            if (d.length != ShareCommitment.LENGTH) {
                throw CeremonyRefusal.malformed("the commitment of " + site + " is " + d.length + " bytes");
            }
        });
        return new Verified(digests, fingerprint(binding, digests));
    }

    /**
     * Names the commitments (digest per member, in descriptor order), not the envelopes, whose
     * nonces differ on every request: honest members' commitments are deterministic, so a
     * restarted ceremony presents the same fingerprint.
     */
    public static byte[] fingerprint(CeremonyBinding b, Map<String, byte[]> digests) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(LABEL);
            out.writeUTF(b.networkId());
            out.writeLong(b.epoch());
            out.writeUTF(b.ceremonyId());
            out.writeInt(digests.size());
            for (var e : digests.entrySet()) {
                out.writeUTF(e.getKey());
                out.write(e.getValue());
            }
            out.flush();
            return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
