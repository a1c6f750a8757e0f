package org.concilium.security.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

/**
 * A client's signing key: a private JWK (EC P-384 for ES384, or RSA for RS384) kept by the client,
 * whose public half is the JWKS the site registers. Files: {@code NAME.private.jwk} (owner-only)
 * and {@code NAME.jwks.json}.
 */
public record ClientKey(JWK privateKey) {

    public ClientKey {
        if (!privateKey.isPrivate()) {
            throw new IllegalArgumentException("a client key must hold the private key");
        }
    }

    public static ClientKey generate() {
        try {
            return new ClientKey(new ECKeyGenerator(Curve.P_384).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES384)
                    .keyID(UUID.randomUUID().toString()).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-384 key", e);
        }
    }

    public static ClientKey read(Path privateJwk) {
        try {
            return new ClientKey(JWK.parse(Files.readString(privateJwk)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the client key " + privateJwk, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException(privateJwk + " is not a JWK: " + e.getMessage());
        }
    }

    public JWSAlgorithm algorithm() {
        return privateKey instanceof RSAKey ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384;
    }

    /** The public JWKS to register with a site ({@code clients add --jwks}). */
    public String publicJwks() {
        return new JWKSet(privateKey.toPublicJWK()).toString(true);
    }

    /** Writes {@code DIR/NAME.private.jwk} (readable by the owner only) and {@code DIR/NAME.jwks.json}. */
    public void write(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path priv = dir.resolve(name + ".private.jwk");
            Files.deleteIfExists(priv);
            Files.createFile(priv);
            try {
                Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            Files.writeString(priv, privateKey.toJSONString());
            Files.writeString(dir.resolve(name + ".jwks.json"), publicJwks());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether it is a key ES384 or RS384 can use. */
    public boolean usable() {
        return privateKey instanceof RSAKey || privateKey instanceof ECKey ec && Curve.P_384.equals(ec.getCurve());
    }
}
