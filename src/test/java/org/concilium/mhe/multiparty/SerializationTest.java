package org.concilium.mhe.multiparty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32C;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.concilium.mhe.InsecureParameters;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.MalformedEncodingException;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.PublicKey;
import org.concilium.mhe.rlwe.SealedSecretKey;
import org.concilium.mhe.rlwe.SecretAccess;
import org.concilium.mhe.rlwe.SecretKeyShare;
import org.junit.jupiter.api.Test;

/** Round trips for every wire type, and Wycheproof-style invalid inputs collected before asserting. */
class SerializationTest {
    private final Parameters params = InsecureParameters.INSECURE_N1024_Q100_T65537;
    private final Parameters other = InsecureParameters.INSECURE_N2048_Q110_T33;

    record Case(String name, byte[] bytes, Function<byte[], Object> decode, Function<Object, byte[]> encode) {
    }

    private List<Case> cases() {
        Network net = new Network(params, 3);
        Ciphertext ct = net.encryptedSum(net.siteVectors(1));
        KeyGenerator.KeyPair q = KeyGenerator.generateKeyPair(params);
        CollectivePublicKeyGen ckg = new CollectivePublicKeyGen(params, 3);
        CkgShare ckgShare = ckg.genShare(net.shares.get(1), ckg.sampleCrp(new byte[] {9}));
        CksShare cks = new CollectiveKeySwitch(params, 3).genShare(net.parties.get(0), ct);
        Ciphertext ct2 = net.encryptedSum(net.siteVectors(3)); // one share per party per ciphertext
        PcksShare pcks = new PublicKeySwitch(params, 3).genShare(net.parties.get(1), ct2, q.publicKey());
        SecretKeyShare sk = net.shares.get(2);
        PublicKeySwitch ps = new PublicKeySwitch(params, 3);
        List<PcksShare> all = new ArrayList<>();
        for (KeySwitchParty p : net.parties) {
            if (p.partyIndex() != 1) {
                all.add(ps.genShare(p, ct2, q.publicKey()));
            }
        }
        all.add(pcks);
        Ciphertext reduced = ps.finalize(ct2, q.publicKey(), ps.aggregate(all));
        List<Case> out = new ArrayList<>();
        out.add(new Case("public key", net.collectiveKey.toBytes(), b -> PublicKey.fromBytes(params, b),
                o -> ((PublicKey) o).toBytes()));
        out.add(new Case("seeded public key", q.publicKey().toSeededBytes(), b -> PublicKey.fromSeededBytes(params, b),
                o -> ((PublicKey) o).toSeededBytes()));
        out.add(new Case("ciphertext", ct.toBytes(), b -> Ciphertext.fromBytes(params, b), o -> ((Ciphertext) o).toBytes()));
        out.add(new Case("reduced-level ciphertext", reduced.toBytes(), b -> Ciphertext.fromBytes(params, b),
                o -> ((Ciphertext) o).toBytes()));
        out.add(new Case("CKG share", ckgShare.toBytes(), b -> CkgShare.fromBytes(params, b), o -> ((CkgShare) o).toBytes()));
        out.add(new Case("CKS share", cks.toBytes(), b -> CksShare.fromBytes(params, b), o -> ((CksShare) o).toBytes()));
        out.add(new Case("PCKS share", pcks.toBytes(), b -> PcksShare.fromBytes(params, b), o -> ((PcksShare) o).toBytes()));
        out.add(new Case("secret key share", sk.toBytes(SecretAccess.INSECURE_EXPORT),
                b -> SecretKeyShare.fromBytes(params, b, SecretAccess.INSECURE_EXPORT),
                o -> ((SecretKeyShare) o).toBytes(SecretAccess.INSECURE_EXPORT)));
        return out;
    }

    @Test
    void everyTypeRoundTripsExactly() {
        for (Case c : cases()) {
            Object decoded = c.decode().apply(c.bytes());
            assertArrayEquals(c.bytes(), c.encode().apply(decoded), c.name());
        }
    }

    @Test
    void malformedInputsAreAllRejected() {
        List<String> failures = new ArrayList<>();
        for (Case c : cases()) {
            byte[] good = c.bytes();
            List<byte[]> bad = new ArrayList<>();
            bad.add(new byte[0]);
            bad.add(Arrays.copyOf(good, 7));
            bad.add(Arrays.copyOf(good, good.length - 1));
            bad.add(Arrays.copyOf(good, good.length / 2));
            bad.add(Arrays.copyOf(good, good.length + 1));
            byte[] extended = Arrays.copyOf(good, good.length + 4);
            bad.add(extended);
            // single bit flips across header, body and trailer
            int[] positions = {0, 3, 4, 5, 6, 7, 8, 9, 12, 40, good.length / 2, good.length - 5, good.length - 1};
            for (int pos : positions) {
                for (int bit : new int[] {0, 7}) {
                    byte[] f = good.clone();
                    f[pos] ^= (byte) (1 << bit);
                    bad.add(f);
                }
            }
            // wrong parameter set id with a valid checksum
            byte[] wrongSet = good.clone();
            wrongSet[6] = (byte) 0x00;
            wrongSet[7] = (byte) NamedParameters.N8192_Q180_T33.id();
            bad.add(fixCrc(wrongSet));
            // wrong kind with a valid checksum
            byte[] wrongKind = good.clone();
            wrongKind[5] = (byte) (wrongKind[5] == 3 ? 4 : 3);
            bad.add(fixCrc(wrongKind));
            // unknown version with a valid checksum
            byte[] version = good.clone();
            version[4] = 2;
            bad.add(fixCrc(version));
            for (int i = 0; i < bad.size(); i++) {
                try {
                    c.decode().apply(bad.get(i));
                    failures.add(c.name() + " accepted malformed input #" + i);
                } catch (MalformedEncodingException expected) {
                    // good
                } catch (RuntimeException e) {
                    failures.add(c.name() + " threw " + e + " on input #" + i);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void residuesAtOrAboveTheirModulusAreRejectedEvenWithAValidChecksum() {
        Network net = new Network(params, 3);
        byte[] good = net.encryptedSum(net.siteVectors(2)).toBytes();
        // first residue of limb 0 occupies the first 50 bits of the body: set them all to one (2^50 - 1 >= q0)
        byte[] bad = good.clone();
        for (int i = 9; i < 9 + 6; i++) { // after the header and the level byte
            bad[i] = (byte) 0xFF;
        }
        bad[15] |= (byte) 0xC0;
        MalformedEncodingException e = assertThrows(MalformedEncodingException.class,
                () -> Ciphertext.fromBytes(params, fixCrc(bad)));
        assertTrue(e.getMessage().contains("not below its modulus"), e.getMessage());
    }

    @Test
    void invalidTernaryCodeIsRejected() {
        SecretKeyShare sk = SecretKeyShare.generate(params, 0);
        byte[] bad = sk.toBytes(SecretAccess.INSECURE_EXPORT);
        bad[10] = (byte) 0xFF; // code 3 is not a ternary value
        assertThrows(MalformedEncodingException.class,
                () -> SecretKeyShare.fromBytes(params, fixCrc(bad), SecretAccess.INSECURE_EXPORT));
    }

    @Test
    void seededPublicKeyIsHalfTheBytesAndTheSameKey() {
        PublicKey pk = KeyGenerator.generateKeyPair(params).publicKey();
        PublicKey back = PublicKey.fromSeededBytes(params, pk.toSeededBytes());
        assertTrue(back.equals(pk));
        assertTrue(pk.toSeededBytes().length < pk.toBytes().length / 2 + 64);
        assertThrows(IllegalStateException.class, () -> new Network(params, 3).collectiveKey.toSeededBytes());
    }

    @Test
    void foreignParameterSetIsRejected() {
        Network net = new Network(params, 3);
        byte[] pk = net.collectiveKey.toBytes();
        MalformedEncodingException e = assertThrows(MalformedEncodingException.class, () -> PublicKey.fromBytes(other, pk));
        assertTrue(e.getMessage().contains("parameter set mismatch"), e.getMessage());
    }

    @Test
    void secretKeyNeedsTheCapabilityAndIsNeverPrinted() {
        SecretKeyShare sk = SecretKeyShare.generate(params, 1);
        assertThrows(IllegalArgumentException.class, () -> sk.toBytes(null));
        assertTrue(sk.toString().contains("redacted"));
        assertEquals("SecretKeyShare[party=1, params=" + params.name() + ", <redacted>]", sk.toString());
    }

    @Test
    void sealedSecretKeyOpensOnlyUnderTheSameKeyAndContext() {
        SecretKeyShare sk = SecretKeyShare.generate(params, 2);
        SecretKey kek = new SecretKeySpec(new byte[32], "AES");
        SecretKey otherKek = new SecretKeySpec(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, "AES");
        byte[] ad = "node-7/epoch-3".getBytes();
        byte[] sealed = SealedSecretKey.seal(sk, kek, ad);
        SecretKeyShare opened = SealedSecretKey.open(params, sealed, kek, ad);
        assertTrue(opened.sameSecretAs(sk));
        assertEquals(2, opened.partyIndex());
        assertFalse(Arrays.equals(sealed, SealedSecretKey.seal(sk, kek, ad)), "fresh nonce per sealing");
        assertThrows(MalformedEncodingException.class, () -> SealedSecretKey.open(params, sealed, otherKek, ad));
        assertThrows(MalformedEncodingException.class, () -> SealedSecretKey.open(params, sealed, kek, "node-7/epoch-4".getBytes()));
        byte[] tampered = sealed.clone();
        tampered[30] ^= 1;
        assertThrows(MalformedEncodingException.class, () -> SealedSecretKey.open(params, fixCrc(tampered), kek, ad));
        assertThrows(MalformedEncodingException.class, () -> SealedSecretKey.open(other, sealed, kek, ad));
        assertThrows(MalformedEncodingException.class, () -> SealedSecretKey.open(params, Arrays.copyOf(sealed, 40), kek, ad));
        assertThrows(IllegalArgumentException.class, () -> SealedSecretKey.seal(sk, new SecretKeySpec(new byte[7], "AES"), ad));
    }

    @Test
    void namedSetSizesAreAsDocumented() {
        Parameters p = NamedParameters.N8192_Q180_T33.parameters();
        // 2 polynomials x 8192 coefficients x 180 bits, plus header, level byte and checksum
        assertEquals(2 * 8192 * 180 / 8 + 13, Ciphertext.encodedLength(p));
        assertTrue(Ciphertext.encodedLength(p) < 384 * 1024);
        // key-switch shares travel rescaled to one 60-bit limb
        assertEquals(1, p.transmitLimbs());
        assertEquals(8192 * 60 / 8 + 8 + 4 + 32 + 4, CksShare.encodedLength(p));
        assertEquals(2 * 8192 * 60 / 8 + 8 + 4 + 64 + 4, PcksShare.encodedLength(p));
    }

    static byte[] fixCrc(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b, b.length - 4, 4).putInt((int) crc.getValue());
        return b;
    }
}
