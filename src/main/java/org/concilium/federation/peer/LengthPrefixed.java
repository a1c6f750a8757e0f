package org.concilium.federation.peer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** u32 length + bytes, the framing of every list inside a peer payload; reads never trust the length. */
public final class LengthPrefixed {

    private LengthPrefixed() {
    }

    public static void write(DataOutputStream out, byte[] block) throws IOException {
        out.writeInt(block.length);
        out.write(block);
    }

    public static byte[] read(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > in.available()) {
            throw new IOException("bad block length " + len);
        }
        return in.readNBytes(len);
    }
}
