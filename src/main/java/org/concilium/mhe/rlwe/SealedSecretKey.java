package org.concilium.mhe.rlwe;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A secret-key share encrypted at rest with AES-GCM (JCA) under a key-encryption key. The
 * associated data (e.g. node id and key epoch) and the encoding header are authenticated, so a
 * sealed share cannot be opened under another context or parameter set.
 *
 * <p>Format: header (kind SEALED_SECRET_KEY_SHARE) | 12-byte nonce | AES-GCM ciphertext of the
 * share's raw encoding with 16-byte tag | CRC-32C.
 */
public final class SealedSecretKey {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;

    private SealedSecretKey() {
    }

    private static int bodyBytes(Parameters params) {
        int plain = Encoding.HEADER_BYTES + SecretKeyShare.bodyBytes(params) + Encoding.TRAILER_BYTES;
        return NONCE_BYTES + plain + TAG_BYTES;
    }

    private static void checkKek(SecretKey kek) {
        if (kek == null || !"AES".equalsIgnoreCase(kek.getAlgorithm()) || kek.getEncoded() == null
                || (kek.getEncoded().length != 16 && kek.getEncoded().length != 32)) {
            throw new IllegalArgumentException("key-encryption key must be AES-128 or AES-256");
        }
    }

    private static byte[] aad(Parameters params, byte[] associatedData) {
        byte[] header = {'C', 'M', 'H', 'E', (byte) Encoding.VERSION, (byte) ObjectKind.SEALED_SECRET_KEY_SHARE.code(),
            (byte) (params.id() >>> 8), (byte) params.id()};
        return ByteBuffer.allocate(header.length + associatedData.length).put(header).put(associatedData).array();
    }

    public static byte[] seal(SecretKeyShare share, SecretKey kek, byte[] associatedData) {
        checkKek(kek);
        Parameters params = share.parameters();
        byte[] plain = share.toBytes(SecretAccess.INSECURE_EXPORT);
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            SecureRandom.getInstance("DRBG").nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(8 * TAG_BYTES, nonce));
            c.updateAAD(aad(params, associatedData));
            byte[] sealed = c.doFinal(plain);
            return new Encoding.Writer(params, ObjectKind.SEALED_SECRET_KEY_SHARE, bodyBytes(params))
                    .putBytes(nonce).putBytes(sealed).finish();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Opens a sealed share.
     *
     * @throws MalformedEncodingException on malformed bytes, wrong key, wrong associated data or
     *     tampering (indistinguishable by design)
     */
    public static SecretKeyShare open(Parameters params, byte[] sealedBytes, SecretKey kek, byte[] associatedData) {
        checkKek(kek);
        Encoding.Reader r = new Encoding.Reader(sealedBytes, params, ObjectKind.SEALED_SECRET_KEY_SHARE, bodyBytes(params));
        byte[] nonce = r.getBytes(NONCE_BYTES);
        byte[] sealed = r.getBytes(bodyBytes(params) - NONCE_BYTES);
        r.finish();
        byte[] plain = null;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(8 * TAG_BYTES, nonce));
            c.updateAAD(aad(params, associatedData));
            plain = c.doFinal(sealed);
            return SecretKeyShare.fromBytes(params, plain, SecretAccess.INSECURE_EXPORT);
        } catch (AEADBadTagException e) {
            throw new MalformedEncodingException("sealed key does not open: wrong key, context or tampered", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed", e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }
}
