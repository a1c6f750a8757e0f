package org.concilium.security;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;

/**
 * The JWKS a client registers: public keys only (a JWKS with private material is refused, it
 * means the key has leaked to whoever handled the file), RSA of 2048 bits or more or EC P-384,
 * each usable for signatures. Those are the keys RS384 and ES384 need.
 */
public final class ClientKeys {

    private ClientKeys() {
    }

    public static JWKSet parse(String jwksJson) {
        JWKSet set;
        try {
            set = JWKSet.parse(jwksJson);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWKS (JSON Web Key Set): " + e.getMessage());
        }
        if (set.getKeys().isEmpty()) {
            throw new IllegalArgumentException("the JWKS holds no key");
        }
        for (JWK k : set.getKeys()) {
            check(k);
        }
        return set;
    }

    private static void check(JWK k) {
        String name = k.getKeyID() == null ? "a key without kid" : "key '" + k.getKeyID() + "'";
        if (k.isPrivate()) {
            throw new IllegalArgumentException(name + " holds private key material: register the public JWKS only,"
                    + " and treat this private key as disclosed");
        }
        if (k.getKeyUse() != null && !KeyUse.SIGNATURE.equals(k.getKeyUse())) {
            throw new IllegalArgumentException(name + " is not a signature key (use=" + k.getKeyUse() + ")");
        }
        if (k instanceof RSAKey rsa) {
            if (rsa.size() < 2048) {
                throw new IllegalArgumentException(name + " is an RSA key of " + rsa.size() + " bits; 2048 at least");
            }
        } else if (k instanceof ECKey ec) {
            if (!Curve.P_384.equals(ec.getCurve())) {
                throw new IllegalArgumentException(name + " is on curve " + ec.getCurve() + "; ES384 needs P-384");
            }
        } else {
            throw new IllegalArgumentException(name + " is a " + k.getKeyType() + " key; RSA or EC P-384 only");
        }
    }
}
