package org.concilium.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.concilium.security.client.ClientKey;

/** Client assertions built field by field, good ones and each kind of bad one. */
final class TestAssertion {

    String iss;
    String sub;
    String aud;
    Instant exp = Instant.now().plusSeconds(240);
    String jti = UUID.randomUUID().toString();

    TestAssertion(String clientId, String aud) {
        this.iss = clientId;
        this.sub = clientId;
        this.aud = aud;
    }

    TestAssertion exp(Duration fromNow) {
        exp = Instant.now().plus(fromNow);
        return this;
    }

    TestAssertion aud(String a) {
        aud = a;
        return this;
    }

    TestAssertion jti(String j) {
        jti = j;
        return this;
    }

    JWTClaimsSet claims() {
        return new JWTClaimsSet.Builder().issuer(iss).subject(sub).audience(aud).expirationTime(Date.from(exp))
                .jwtID(jti).build();
    }

    /** Signed the way a SMART client signs: ES384 for an EC key, RS384 for an RSA key. */
    String signedWith(ClientKey key) {
        return sign(key.algorithm(), key.privateKey().getKeyID(), signer(key));
    }

    /** Signed with an algorithm we refuse (ES256/RS256 with a fitting key, or any other). */
    String sign(JWSAlgorithm alg, String kid, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** {@code alg: none}: no signature at all. */
    String unsigned() {
        return new PlainJWT(claims()).serialize();
    }

    /** The classic key-confusion forgery: HS256 with the client's public key as the HMAC secret. */
    String hmacWithPublicKey(ClientKey key) {
        try {
            byte[] secret = key.publicJwks().getBytes(StandardCharsets.UTF_8);
            return sign(JWSAlgorithm.HS256, key.privateKey().getKeyID(), new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static JWSSigner signer(ClientKey key) {
        try {
            return key.privateKey() instanceof RSAKey rsa ? new RSASSASigner(rsa)
                    : new ECDSASigner((ECKey) key.privateKey());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
