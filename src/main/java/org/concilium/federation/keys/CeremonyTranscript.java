package org.concilium.federation.keys;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * What the coordinator forwards to every site: every member's signed commitment and every
 * member's signed share reveal, exactly as the members signed them. Each site derives the key from
 * it after its own checks ({@link TranscriptVerifier}); no key or bare share bytes are taken on the
 * coordinator's word. Encoding: {@code u8 version=1 | commitments | reveals}, each an envelope
 * list {@code u32 count | count × (u32 length | envelope)}; nothing after.
 */
public record CeremonyTranscript(CommitmentSet commitments, List<byte[]> reveals) {

    private static final int VERSION = 1;

    public CeremonyTranscript {
        reveals = List.copyOf(reveals);
    }

    public byte[] encode() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            MemberEnvelopes.write(out, commitments.envelopes());
            MemberEnvelopes.write(out, reveals);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static CeremonyTranscript decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException("transcript version " + version);
            }
            CommitmentSet commitments = new CommitmentSet(MemberEnvelopes.read(in));
            List<byte[]> reveals = MemberEnvelopes.read(in);
            if (in.available() != 0) {
                throw new IOException("trailing bytes after the transcript");
            }
            return new CeremonyTranscript(commitments, reveals);
        } catch (IOException e) {
            throw CeremonyRefusal.malformed("key ceremony transcript: " + e.getMessage());
        }
    }
}
