package org.concilium.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a SMART Backend Services client assertion (private_key_jwt, RFC 7523): signed with RS384
 * or ES384 by a key the client registered (never {@code none}, never HMAC), iss = sub = a
 * registered client, aud = this token endpoint, exp in the future but at most five minutes away,
 * and a jti this client never used before. Every refusal is {@code invalid_client}.
 */
public final class ClientAssertionVerifier {

    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** Clock difference tolerated between the client and us. */
    static final Duration SKEW = Duration.ofSeconds(10);

    /** Records a jti; false when it was seen before. */
    public interface JtiLog {
        boolean firstUse(String clientId, String jti, Instant expires);
    }

    private final Function<String, Optional<ClientRegistration>> clients;
    private final JtiLog jtis;

    public ClientAssertionVerifier(Function<String, Optional<ClientRegistration>> clients, JtiLog jtis) {
        this.clients = clients;
        this.jtis = jtis;
    }

    /** The client the assertion authenticates, or an OAuthException saying why not. */
    public ClientRegistration verify(String assertion, Collection<String> acceptedAudiences, Instant now) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            // Nimbus throws unchecked exceptions for some malformed headers (e.g. one that is JSON null)
            throw OAuthException.invalidClient("the client assertion is not a signed JWT");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw OAuthException.invalidClient("the client assertion must be signed with RS384 or ES384, not " + alg);
        }
        String iss = claims.getIssuer();
        if (iss == null || !iss.equals(claims.getSubject())) {
            throw OAuthException.invalidClient("the client assertion's iss and sub must both be the client id");
        }
        ClientRegistration client = clients.apply(iss)
                .orElseThrow(() -> OAuthException.invalidClient("no client is registered under this id"));
        if (!signedByRegisteredKey(jwt, client)) {
            throw OAuthException.invalidClient("the client assertion is not signed by a key this client registered");
        }
        if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(acceptedAudiences::contains)) {
            throw OAuthException.invalidClient("the client assertion's aud must be this token endpoint's URL");
        }
        if (claims.getExpirationTime() == null) {
            throw OAuthException.invalidClient("the client assertion has no exp");
        }
        Instant exp = claims.getExpirationTime().toInstant();
        if (!exp.isAfter(now.minus(SKEW))) {
            throw OAuthException.invalidClient("the client assertion has expired");
        }
        if (exp.isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
            throw OAuthException.invalidClient("the client assertion's exp is more than five minutes ahead");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW))) {
            throw OAuthException.invalidClient("the client assertion is not valid yet (nbf)");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank() || jti.length() > 256) {
            throw OAuthException.invalidClient("the client assertion needs a jti (at most 256 characters)");
        }
        if (!jtis.firstUse(client.clientId(), jti, exp.plus(SKEW))) {
            throw OAuthException.invalidClient("this client assertion (its jti) was used before");
        }
        return client;
    }

    private static boolean signedByRegisteredKey(SignedJWT jwt, ClientRegistration client) {
        String kid = jwt.getHeader().getKeyID();
        for (JWK key : client.publicKeys().getKeys()) {
            if (kid != null && key.getKeyID() != null && !kid.equals(key.getKeyID())) {
                continue;
            }
            try {
                JWSVerifier verifier = verifier(jwt.getHeader().getAlgorithm(), key);
                if (verifier != null && jwt.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException | RuntimeException e) {
                // a key that cannot check this signature: try the next one
            }
        }
        return false;
    }

    private static JWSVerifier verifier(JWSAlgorithm alg, JWK key) throws JOSEException {
        if (alg.equals(JWSAlgorithm.RS384) && key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (alg.equals(JWSAlgorithm.ES384) && key instanceof ECKey ec && Curve.P_384.equals(ec.getCurve())) {
            return new ECDSAVerifier(ec);
        }
        return null;
    }
}
