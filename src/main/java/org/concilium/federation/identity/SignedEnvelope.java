package org.concilium.federation.identity;

import static org.concilium.federation.identity.PeerProtocolException.Reason.BAD_SIGNATURE;
import static org.concilium.federation.identity.PeerProtocolException.Reason.MALFORMED;
import static org.concilium.federation.identity.PeerProtocolException.Reason.TOO_LARGE;
import static org.concilium.federation.identity.PeerProtocolException.Reason.TRUNCATED;
import static org.concilium.federation.identity.PeerProtocolException.Reason.UNSUPPORTED_VERSION;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;

/**
 * A peer message signed by its sender's identity key. Exact big-endian binary encoding (docs/peer-envelope.md):
 * <pre>
 *   "CCPE" | u8 version=1 | str networkId | u64 epoch | str queryId | u32 round | str sender | str recipient ("" = all)
 *   | u64 nonce | u32 payloadLength | payload | u16 signatureLength | signature
 *   str = u16 byteLength | UTF-8 bytes
 * </pre>
 * The signature (SHA256withECDSA, DER) covers every byte before {@code signatureLength}. Decoding rejects
 * truncation, trailing bytes, oversize fields, invalid UTF-8 and negative numbers.
 *
 * <pre>{@code
 * byte[] wire = SignedEnvelope.sign(header, payload, myIdentity).encode();
 * SignedEnvelope in = verifier.open(wire);   // EnvelopeVerifier: binding, pinned signature, replay
 * }</pre>
 */
public final class SignedEnvelope {
    static final byte[] MAGIC = {'C', 'C', 'P', 'E'};
    static final int VERSION = 1;
    /** Largest payload accepted (ciphertext vectors of big layouts stay far below). */
    public static final int MAX_PAYLOAD = 64 << 20;
    static final int MAX_SIGNATURE = 80;
    /**
     * Largest encoded envelope: the largest payload plus the largest header and signature (magic,
     * version, four strings of at most {@link EnvelopeHeader#MAX_ID_BYTES}, epoch, round, nonce, the
     * two lengths). The peer server reads no more than this of a request body.
     */
    public static final int MAX_ENCODED = MAX_PAYLOAD + 4 + 1 + 4 * (2 + EnvelopeHeader.MAX_ID_BYTES) + 8 + 4 + 8 + 4 + 2
            + MAX_SIGNATURE;

    private final EnvelopeHeader header;
    private final byte[] payload;
    private final byte[] signature;
    private final byte[] signedBytes;

    private SignedEnvelope(EnvelopeHeader header, byte[] payload, byte[] signature, byte[] signedBytes) {
        this.header = header;
        this.payload = payload;
        this.signature = signature;
        this.signedBytes = signedBytes;
    }

    public static SignedEnvelope sign(EnvelopeHeader header, byte[] payload, SiteIdentity sender) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(payload, "payload");
        if (!sender.siteId().equals(header.sender())) {
            throw new IllegalArgumentException("identity " + sender.siteId() + " cannot sign as " + header.sender());
        }
        if (payload.length > MAX_PAYLOAD) throw new PeerProtocolException(TOO_LARGE, "payload of " + payload.length + " bytes");
        byte[] body = body(header, payload);
        return new SignedEnvelope(header, payload.clone(), sender.sign(body), body);
    }

    public EnvelopeHeader header() {
        return header;
    }

    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    /** True when the signature verifies under {@code cert}'s key. */
    public boolean isSignedBy(X509Certificate cert) {
        return Signatures.verify(cert, signedBytes, signature);
    }

    public void verify(X509Certificate cert) {
        if (!isSignedBy(cert)) throw new PeerProtocolException(BAD_SIGNATURE, "signature of " + header.sender() + " does not verify");
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(signedBytes.length + 2 + signature.length);
        b.put(signedBytes).putShort((short) signature.length).put(signature);
        return b.array();
    }

    private static byte[] body(EnvelopeHeader h, byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            str(out, h.networkId());
            out.writeLong(h.epoch());
            str(out, h.queryId());
            out.writeInt(h.round());
            str(out, h.sender());
            str(out, h.recipient() == null ? "" : h.recipient());
            out.writeLong(h.nonce());
            out.writeInt(payload.length);
            out.write(payload);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    /** Parses wire bytes; does not verify the signature (see {@link EnvelopeVerifier}). */
    public static SignedEnvelope decode(byte[] wire) {
        if (wire == null) throw new PeerProtocolException(TRUNCATED, "no bytes");
        ByteBuffer b = ByteBuffer.wrap(wire);
        try {
            byte[] magic = new byte[4];
            b.get(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new PeerProtocolException(MALFORMED, "not a Concilium peer envelope");
            int version = b.get() & 0xff;
            if (version != VERSION) throw new PeerProtocolException(UNSUPPORTED_VERSION, "envelope version " + version);
            String networkId = readStr(b, "networkId");
            long epoch = b.getLong();
            String queryId = readStr(b, "queryId");
            int round = b.getInt();
            String sender = readStr(b, "sender");
            String recipient = readStr(b, "recipient");
            long nonce = b.getLong();
            int len = b.getInt();
            if (len < 0 || len > MAX_PAYLOAD) throw new PeerProtocolException(TOO_LARGE, "payload length " + Integer.toUnsignedString(len));
            if (len > b.remaining()) throw new PeerProtocolException(TRUNCATED, "payload shorter than its length");
            byte[] payload = new byte[len];
            b.get(payload);
            int signedEnd = b.position();
            int sigLen = b.getShort() & 0xffff;
            if (sigLen == 0 || sigLen > MAX_SIGNATURE) throw new PeerProtocolException(MALFORMED, "signature length " + sigLen);
            if (sigLen > b.remaining()) throw new PeerProtocolException(TRUNCATED, "signature shorter than its length");
            byte[] sig = new byte[sigLen];
            b.get(sig);
            if (b.hasRemaining()) throw new PeerProtocolException(MALFORMED, b.remaining() + " trailing bytes");
            EnvelopeHeader h = new EnvelopeHeader(networkId, epoch, queryId, round, sender, recipient, nonce);
            return new SignedEnvelope(h, payload, sig, Arrays.copyOf(wire, signedEnd));
        } catch (BufferUnderflowException e) {
            throw new PeerProtocolException(TRUNCATED, "envelope ends early");
        }
    }

    private static String readStr(ByteBuffer b, String field) {
        int n = b.getShort() & 0xffff;
        if (n > EnvelopeHeader.MAX_ID_BYTES) throw new PeerProtocolException(MALFORMED, field + " of " + n + " bytes");
        if (n > b.remaining()) throw new PeerProtocolException(TRUNCATED, field + " ends early");
        ByteBuffer slice = b.slice(b.position(), n);
        b.position(b.position() + n);
        try {
            CharBuffer c = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice);
            return c.toString();
        } catch (CharacterCodingException e) {
            throw new PeerProtocolException(MALFORMED, field + " is not UTF-8");
        }
    }
}
