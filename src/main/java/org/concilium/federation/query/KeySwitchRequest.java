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
 * The entry node's second-round message: the aggregate ciphertext and every site's signed
 * contribution, so each site can check the aggregate is exactly their sum before it helps
 * decrypt. Binary: u32 n | n × (u32 len | envelope) | u32 len | aggregate.
 */
public record KeySwitchRequest(List<byte[]> contributions, byte[] aggregate) {

    private static final int MAX_SITES = 1000;

    public byte[] toBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(contributions.size());
            for (byte[] c : contributions) {
                LengthPrefixed.write(out, c);
            }
            LengthPrefixed.write(out, aggregate);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeySwitchRequest fromBytes(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int n = in.readInt();
            if (n < 1 || n > MAX_SITES) {
                throw new PeerRefusal(400, "bad contribution count " + n);
            }
            List<byte[]> contributions = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                contributions.add(LengthPrefixed.read(in));
            }
            byte[] aggregate = LengthPrefixed.read(in);
            if (in.available() != 0) {
                throw new PeerRefusal(400, "trailing bytes in key-switch request");
            }
            return new KeySwitchRequest(contributions, aggregate);
        } catch (IOException e) {
            throw new PeerRefusal(400, "malformed key-switch request");
        }
    }
}
