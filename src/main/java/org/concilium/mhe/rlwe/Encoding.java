package org.concilium.mhe.rlwe;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.concilium.mhe.ring.Modulus;
import org.concilium.mhe.ring.Poly;
import org.concilium.mhe.ring.Ring;

/**
 * The exact binary format shared by every object of the library:
 *
 * <pre>
 *   magic "CMHE" (4) | format version (1) | kind (1) | parameter set id (2, big endian)
 *   | body (kind-specific, fixed length for given parameters) | CRC-32C of all preceding bytes (4)
 * </pre>
 *
 * Polynomials are written limb by limb, each residue packed big-endian to the bit length of its
 * prime (no padding bits since N is a multiple of 8). Readers check the exact total length, the
 * header, the checksum and that every residue is below its modulus. The CRC detects accidental
 * corruption only; authenticity comes from the transport's signatures.
 */
public final class Encoding {
    public static final int VERSION = 1;
    static final byte[] MAGIC = {'C', 'M', 'H', 'E'};
    public static final int HEADER_BYTES = 8;
    public static final int TRAILER_BYTES = 4;

    private Encoding() {
    }

    public static int polyBytes(Parameters params) {
        return polyBytes(params, params.limbCount());
    }

    /** Bytes of a packed polynomial over the first {@code limbs} limbs. */
    public static int polyBytes(Parameters params, int limbs) {
        Ring ring = params.ring();
        int total = 0;
        for (int j = 0; j < limbs; j++) {
            total += ring.n() / 8 * ring.modulus(j).bitLength();
        }
        return total;
    }

    /** Builds one encoding; the body length must be known up front. */
    public static final class Writer {
        private final ByteBuffer buf;
        private final Parameters params;

        public Writer(Parameters params, ObjectKind kind, int bodyBytes) {
            this.params = params;
            this.buf = ByteBuffer.allocate(HEADER_BYTES + bodyBytes + TRAILER_BYTES);
            buf.put(MAGIC).put((byte) VERSION).put((byte) kind.code()).putShort((short) params.id());
        }

        public Writer putByte(int v) {
            buf.put((byte) v);
            return this;
        }

        public Writer putShort(int v) {
            buf.putShort((short) v);
            return this;
        }

        public Writer putBytes(byte[] b) {
            buf.put(b);
            return this;
        }

        public Writer putPoly(Poly p) {
            Ring ring = params.ring();
            if (p.limbCount() > ring.limbCount()) {
                throw new IllegalArgumentException("polynomial level mismatch");
            }
            byte[] out = buf.array();
            int pos = buf.position();
            for (int j = 0; j < p.limbCount(); j++) {
                int bits = ring.modulus(j).bitLength();
                long[] limb = p.limb(j);
                long acc = 0; // holds accBits < 8 bits between residues
                int accBits = 0;
                for (long v : limb) {
                    if (accBits + bits <= 64) {
                        acc = (acc << bits) | v;
                        accBits += bits;
                    } else {
                        int hi = bits - 8;
                        acc = (acc << hi) | (v >>> 8);
                        accBits += hi;
                        while (accBits >= 8) {
                            accBits -= 8;
                            out[pos++] = (byte) (acc >>> accBits);
                        }
                        acc = (acc << 8) | (v & 0xFF);
                        accBits += 8;
                    }
                    while (accBits >= 8) {
                        accBits -= 8;
                        out[pos++] = (byte) (acc >>> accBits);
                    }
                    acc &= (1L << accBits) - 1;
                }
                if (accBits != 0) {
                    throw new IllegalStateException("N * bits not a multiple of 8");
                }
            }
            buf.position(pos);
            return this;
        }

        public byte[] finish() {
            if (buf.remaining() != TRAILER_BYTES) {
                throw new IllegalStateException("body length mismatch: " + (buf.remaining() - TRAILER_BYTES));
            }
            CRC32C crc = new CRC32C();
            crc.update(buf.array(), 0, buf.position());
            buf.putInt((int) crc.getValue());
            return buf.array();
        }
    }

    /** Strict reader: validates header, length and checksum before any body is parsed. */
    public static final class Reader {
        private final ByteBuffer buf;
        private final Parameters params;

        /** Body byte at {@code offset} before validation (e.g. a level that fixes the length), or -1. */
        public static int peekBody(byte[] bytes, int offset) {
            return bytes != null && bytes.length > HEADER_BYTES + offset ? bytes[HEADER_BYTES + offset] & 0xFF : -1;
        }

        public Reader(byte[] bytes, Parameters params, ObjectKind kind, int bodyBytes) {
            if (bytes == null) {
                throw new MalformedEncodingException("null encoding");
            }
            int expected = HEADER_BYTES + bodyBytes + TRAILER_BYTES;
            if (bytes.length < HEADER_BYTES) {
                throw new MalformedEncodingException("truncated header: " + bytes.length + " bytes");
            }
            for (int i = 0; i < 4; i++) {
                if (bytes[i] != MAGIC[i]) {
                    throw new MalformedEncodingException("bad magic: not a Concilium MHE encoding");
                }
            }
            if (bytes[4] != VERSION) {
                throw new MalformedEncodingException("unsupported format version " + (bytes[4] & 0xFF));
            }
            ObjectKind found = ObjectKind.fromCode(bytes[5] & 0xFF);
            if (found != kind) {
                throw new MalformedEncodingException("expected " + kind + " but found " + found);
            }
            int setId = ((bytes[6] & 0xFF) << 8) | (bytes[7] & 0xFF);
            if (setId != params.id()) {
                throw new MalformedEncodingException("parameter set mismatch: encoded id " + setId
                        + ", expected " + params.id() + " (" + params.name() + ")");
            }
            if (bytes.length != expected) {
                throw new MalformedEncodingException("wrong length for " + kind + ": " + bytes.length
                        + " bytes, expected " + expected);
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, expected - TRAILER_BYTES);
            int stored = ByteBuffer.wrap(bytes, expected - TRAILER_BYTES, TRAILER_BYTES).getInt();
            if (stored != (int) crc.getValue()) {
                throw new MalformedEncodingException("checksum mismatch: corrupted " + kind);
            }
            this.params = params;
            this.buf = ByteBuffer.wrap(bytes, HEADER_BYTES, bodyBytes);
        }

        public int getByte() {
            return buf.get() & 0xFF;
        }

        public int getShort() {
            return buf.getShort() & 0xFFFF;
        }

        public byte[] getBytes(int len) {
            byte[] b = new byte[len];
            buf.get(b);
            return b;
        }

        public Poly getPoly() {
            return getPoly(params.limbCount());
        }

        /** Reads a polynomial over the first {@code limbs} limbs. */
        public Poly getPoly(int limbs) {
            Ring ring = params.ring();
            Poly p = ring.newPoly(limbs);
            byte[] in = buf.array();
            int pos = buf.position();
            int end = buf.limit();
            for (int j = 0; j < limbs; j++) {
                Modulus m = ring.modulus(j);
                int bits = m.bitLength();
                int hiBits = Math.max(0, bits - 32);
                int loBits = bits - hiBits;
                long q = m.value();
                long[] limb = p.limb(j);
                long acc = 0; // holds accBits < 8 bits between residues
                int accBits = 0;
                for (int i = 0; i < limb.length; i++) {
                    // read hiBits then loBits (each <= 32) so the accumulator never exceeds 40 bits
                    long v = 0;
                    for (int part = 0; part < 2; part++) {
                        int k = part == 0 ? hiBits : loBits;
                        while (accBits < k) {
                            if (pos >= end) {
                                throw new MalformedEncodingException("truncated polynomial");
                            }
                            acc = (acc << 8) | (in[pos++] & 0xFF);
                            accBits += 8;
                        }
                        accBits -= k;
                        v = (v << k) | ((acc >>> accBits) & ((1L << k) - 1));
                        acc &= (1L << accBits) - 1;
                    }
                    if (v >= q) {
                        throw new MalformedEncodingException("residue " + i + " of limb " + j + " not below its modulus");
                    }
                    limb[i] = v;
                }
            }
            buf.position(pos);
            return p;
        }

        public void finish() {
            if (buf.hasRemaining()) {
                throw new IllegalStateException("unparsed body bytes");
            }
        }
    }
}
