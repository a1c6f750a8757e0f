package org.concilium.federation.identity;

import static org.concilium.federation.identity.PeerProtocolException.Reason.BAD_SIGNATURE;
import static org.concilium.federation.identity.PeerProtocolException.Reason.MALFORMED;
import static org.concilium.federation.identity.PeerProtocolException.Reason.REPLAY;
import static org.concilium.federation.identity.PeerProtocolException.Reason.TOO_LARGE;
import static org.concilium.federation.identity.PeerProtocolException.Reason.TRUNCATED;
import static org.concilium.federation.identity.PeerProtocolException.Reason.UNKNOWN_SENDER;
import static org.concilium.federation.identity.PeerProtocolException.Reason.UNSUPPORTED_VERSION;
import static org.concilium.federation.identity.PeerProtocolException.Reason.WRONG_EPOCH;
import static org.concilium.federation.identity.PeerProtocolException.Reason.WRONG_NETWORK;
import static org.concilium.federation.identity.PeerProtocolException.Reason.WRONG_RECIPIENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignedEnvelopeTest {
    private static final Fixtures NET = Fixtures.network("demo-net", 2, "site-a", "site-b", "site-c");
    private static final byte[] PAYLOAD = "encrypted contribution".getBytes(StandardCharsets.UTF_8);

    private static EnvelopeHeader header(String sender, String recipient, long nonce) {
        return new EnvelopeHeader("demo-net", 2, "q-42", 1, sender, recipient, nonce);
    }

    private static byte[] wire(String sender, String recipient, long nonce) {
        return SignedEnvelope.sign(header(sender, recipient, nonce), PAYLOAD, NET.identity(sender)).encode();
    }

    private static EnvelopeVerifier verifierAt(String site) {
        return new EnvelopeVerifier(NET.descriptor(), site, new InMemoryReplayStore());
    }

    private static PeerProtocolException.Reason reasonOf(Runnable r) {
        return assertThrows(PeerProtocolException.class, r::run).reason();
    }

    @Test
    void signedMessageOpensAtItsRecipient() {
        SignedEnvelope e = verifierAt("site-a").open(wire("site-b", "site-a", 7));
        assertEquals(header("site-b", "site-a", 7), e.header());
        assertArrayEquals(PAYLOAD, e.payload());
        assertEquals("q-42", verifierAt("site-c").open(wire("site-b", null, 8)).header().queryId(), "broadcast");
    }

    @Test
    void encodingIsExact() {
        byte[] w = wire("site-b", "site-a", 7);
        ByteBuffer b = ByteBuffer.wrap(w);
        byte[] magic = new byte[4];
        b.get(magic);
        assertEquals("CCPE", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(1, b.get());
        assertEquals(8, b.getShort());
        b.position(b.position() + 8);
        assertEquals(2L, b.getLong());
        int fixed = 4 + 1 + (2 + 8) + 8 + (2 + 4) + 4 + (2 + 6) + (2 + 6) + 8 + 4 + PAYLOAD.length;
        int sigLen = ByteBuffer.wrap(w, fixed, 2).getShort();
        assertEquals(fixed + 2 + sigLen, w.length);
        SignedEnvelope decoded = SignedEnvelope.decode(w);
        assertArrayEquals(w, decoded.encode(), "decode/encode is the identity");
    }

    @Test
    void tamperedPayloadIsRejected() {
        byte[] w = wire("site-b", "site-a", 7);
        int payloadAt = Collections.indexOf(w, PAYLOAD);
        for (int i : new int[] {payloadAt, payloadAt + PAYLOAD.length - 1}) {
            byte[] t = w.clone();
            t[i] ^= 1;
            assertEquals(BAD_SIGNATURE, reasonOf(() -> verifierAt("site-a").open(t)));
        }
        byte[] roundChanged = w.clone();
        roundChanged[payloadAt - 4 - 8 - 8 - 1] ^= 1; // inside the nonce/recipient area: still covered by the signature
        assertTrue(Set.of(BAD_SIGNATURE, MALFORMED, WRONG_RECIPIENT).contains(reasonOf(() -> verifierAt("site-a").open(roundChanged))));
    }

    @Test
    void aSignerThatIsNotPinnedIsRejected() {
        SiteIdentity impostor = SiteIdentity.generate("site-b"); // same name, key not in the descriptor
        byte[] forged = SignedEnvelope.sign(header("site-b", "site-a", 7), PAYLOAD, impostor).encode();
        EnvelopeVerifier v = verifierAt("site-a");
        assertEquals(BAD_SIGNATURE, reasonOf(() -> v.open(forged)));
        v.open(wire("site-b", "site-a", 7)); // the forgery did not burn the genuine nonce
        SiteIdentity stranger = SiteIdentity.generate("site-z");
        byte[] unknown = SignedEnvelope.sign(new EnvelopeHeader("demo-net", 2, "q-42", 1, "site-z", null, 1), PAYLOAD, stranger).encode();
        assertEquals(UNKNOWN_SENDER, reasonOf(() -> v.open(unknown)));
        assertThrows(IllegalArgumentException.class,
                () -> SignedEnvelope.sign(header("site-b", null, 1), PAYLOAD, NET.identity("site-c")), "cannot sign as another site");
    }

    @Test
    void replayIsRejected() {
        EnvelopeVerifier v = verifierAt("site-a");
        byte[] w = wire("site-b", "site-a", 7);
        v.open(w);
        assertEquals(REPLAY, reasonOf(() -> v.open(w)));
        v.open(wire("site-b", "site-a", 8));
        v.open(wire("site-c", "site-a", 7)); // same nonce, other sender
    }

    @Test
    void wrongBindingIsRejected() {
        SiteIdentity b = NET.identity("site-b");
        byte[] oldEpoch = SignedEnvelope.sign(new EnvelopeHeader("demo-net", 1, "q-42", 1, "site-b", null, 1), PAYLOAD, b).encode();
        assertEquals(WRONG_EPOCH, reasonOf(() -> verifierAt("site-a").open(oldEpoch)));
        byte[] otherNet = SignedEnvelope.sign(new EnvelopeHeader("other-net", 2, "q-42", 1, "site-b", null, 1), PAYLOAD, b).encode();
        assertEquals(WRONG_NETWORK, reasonOf(() -> verifierAt("site-a").open(otherNet)));
        assertEquals(WRONG_RECIPIENT, reasonOf(() -> verifierAt("site-c").open(wire("site-b", "site-a", 1))));
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] w = wire("site-b", "site-a", 7);
        for (int n = 0; n < w.length; n++) {
            byte[] cut = Arrays.copyOf(w, n);
            PeerProtocolException.Reason r = reasonOf(() -> SignedEnvelope.decode(cut));
            assertTrue(r == TRUNCATED || r == MALFORMED, n + " bytes: " + r);
        }
        assertEquals(TRUNCATED, reasonOf(() -> SignedEnvelope.decode(null)));
    }

    @Test
    void malformedEnvelopesAreRejected() {
        byte[] w = wire("site-b", "site-a", 7);
        byte[] trailing = Arrays.copyOf(w, w.length + 1);
        assertEquals(MALFORMED, reasonOf(() -> SignedEnvelope.decode(trailing)));
        byte[] magic = w.clone();
        magic[0] = 'X';
        assertEquals(MALFORMED, reasonOf(() -> SignedEnvelope.decode(magic)));
        byte[] version = w.clone();
        version[4] = 2;
        assertEquals(UNSUPPORTED_VERSION, reasonOf(() -> SignedEnvelope.decode(version)));
        byte[] badUtf8 = w.clone();
        badUtf8[7] = (byte) 0xff; // first byte of networkId
        assertEquals(MALFORMED, reasonOf(() -> SignedEnvelope.decode(badUtf8)));
        int payloadAt = Collections.indexOf(w, PAYLOAD);
        byte[] huge = w.clone();
        ByteBuffer.wrap(huge).putInt(payloadAt - 4, Integer.MAX_VALUE);
        assertEquals(TOO_LARGE, reasonOf(() -> SignedEnvelope.decode(huge)));
        byte[] negativeRound = w.clone();
        ByteBuffer.wrap(negativeRound).putInt(4 + 1 + 10 + 8 + 6, -1);
        assertEquals(MALFORMED, reasonOf(() -> SignedEnvelope.decode(negativeRound)));
    }

    /** Byte-array search helper. */
    static final class Collections {
        static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
                return i;
            }
            throw new AssertionError("not found");
        }
    }
}
