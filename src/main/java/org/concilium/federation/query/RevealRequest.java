package org.concilium.federation.query;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.concilium.federation.peer.LengthPrefixed;
import org.concilium.federation.peer.PeerRefusal;

/**
 * The entry node's reveal round: every site's signed commitment, the same bytes for every site. A
 * site reveals its contribution only after it has verified one commitment of every member.
 * Binary: u32 n | n × (u32 len | signed commitment envelope).
 */
public record RevealRequest(List<byte[]> commitments) {

    private static final int MAX_SITES = 1000;

    public byte[] toBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(commitments.size());
            for (byte[] c : commitments) {
                LengthPrefixed.write(out, c);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RevealRequest fromBytes(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int n = in.readInt();
            if (n < 0 || n > MAX_SITES) {
                throw new PeerRefusal(400, "bad commitment count " + n);
            }
            List<byte[]> commitments = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                commitments.add(LengthPrefixed.read(in));
            }
            if (in.available() != 0) {
                throw new PeerRefusal(400, "trailing bytes in reveal request");
            }
            return new RevealRequest(commitments);
        } catch (IOException e) {
            throw new PeerRefusal(400, "malformed reveal request");
        }
    }
}
