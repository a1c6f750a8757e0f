package org.concilium.security;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import java.text.ParseException;
import javax.crypto.SecretKey;

/**
 * A token-signing private key at rest: its JWK encrypted as a compact JWE ({@code dir}, A256GCM,
 * Nimbus) under the site's key-encryption key. The protected header names the kid and is
 * authenticated, so a sealed key cannot be passed off under another kid.
 */
final class SealedSigningKey {

    private SealedSigningKey() {
    }

    static String seal(ECKey privateKey, SecretKey kek) {
        try {
            JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                    .keyID(privateKey.getKeyID()).contentType("jwk+json").build(), new Payload(privateKey.toJSONString()));
            jwe.encrypt(new DirectEncrypter(kek));
            return jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot seal the token-signing key", e);
        }
    }

    /** The private key sealed under {@code kid}; IllegalStateException when this KEK does not open it. */
    static ECKey open(String kid, String sealed, SecretKey kek) {
        try {
            JWEObject jwe = JWEObject.parse(sealed);
            if (!JWEAlgorithm.DIR.equals(jwe.getHeader().getAlgorithm()) || !kid.equals(jwe.getHeader().getKeyID())) {
                throw new IllegalStateException("token-signing key " + kid + " is sealed under another kid");
            }
            jwe.decrypt(new DirectDecrypter(kek));
            ECKey key = ECKey.parse(jwe.getPayload().toString());
            if (!kid.equals(key.getKeyID()) || !key.isPrivate()) {
                throw new IllegalStateException("token-signing key " + kid + " is not the private key it claims");
            }
            return key;
        } catch (ParseException | JOSEException e) {
            // never the key material: only that this KEK does not open it
            throw new IllegalStateException("token-signing key " + kid + " cannot be opened with this node's"
                    + " key-encryption key (" + e.getClass().getSimpleName() + ")");
        }
    }
}
