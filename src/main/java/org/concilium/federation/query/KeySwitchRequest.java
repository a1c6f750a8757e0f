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
 * The entry node's second-round message, the same bytes for every site: the per-query target key
 * (compact, seeded form), every site's signed contribution, and the fingerprint of the sum the
 * entry node will decrypt. Each site recomputes that sum from the contributions and helps only if
 * it matches. Binary: u32 len | target key | u32 n | n × (u32 len | envelope) | u32 len | fingerprint.
 */
public record KeySwitchRequest(byte[] targetKey, List<byte[]> contributions, byte[] aggregateFingerprint) {

    private static final int MAX_SITES = 1000;

    public byte[] toBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            LengthPrefixed.write(out, targetKey);
            out.writeInt(contributions.size());
            for (byte[] c : contributions) {
                LengthPrefixed.write(out, c);
            }
            LengthPrefixed.write(out, aggregateFingerprint);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeySwitchRequest fromBytes(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            byte[] targetKey = LengthPrefixed.read(in);
            int n = in.readInt();
            if (n < 1 || n > MAX_SITES) {
                throw new PeerRefusal(400, "bad contribution count " + n);
            }
            List<byte[]> contributions = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                contributions.add(LengthPrefixed.read(in));
            }
            byte[] fingerprint = LengthPrefixed.read(in);
            if (in.available() != 0) {
                throw new PeerRefusal(400, "trailing bytes in key-switch request");
            }
            return new KeySwitchRequest(targetKey, contributions, fingerprint);
        } catch (IOException e) {
            throw new PeerRefusal(400, "malformed key-switch request");
        }
    }
}
