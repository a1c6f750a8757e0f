package org.concilium.security;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.JOSEException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The keys access tokens are signed and verified with: one ES384 (P-384) private key that signs
 * now, and the public keys every token still alive may have been signed with, by {@code kid}.
 * The node's ring is {@link TokenSigningKeys} (in the database, shared by a site's replicas).
 */
public interface TokenKeyRing {

    /** The key new tokens are signed with (private part included). */
    ECKey signingKey();

    /** The public key of {@code kid}, if it is one of this site's live token keys. */
    Optional<ECKey> verificationKey(String kid);

    /** A fresh P-384 key with a random kid (for signing access tokens). */
    static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_384).keyUse(KeyUse.SIGNATURE)
                    .algorithm(com.nimbusds.jose.JWSAlgorithm.ES384).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-384 key", e);
        }
    }

    /** One key held in memory only (the token benchmark; nothing outlives the process). */
    static TokenKeyRing inMemory(ECKey key) {
        Map<String, ECKey> pub = Map.of(key.getKeyID(), key.toPublicJWK());
        return new TokenKeyRing() {
            @Override
            public ECKey signingKey() {
                return key;
            }

            @Override
            public Optional<ECKey> verificationKey(String kid) {
                return Optional.ofNullable(pub.get(kid));
            }
        };
    }
}
