package org.concilium.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * This site's access tokens: JWTs signed ES384 with the site's token key ({@link TokenKeyRing}; the
 * node's is {@link TokenSigningKeys}, shared by every replica through the database), naming the key
 * by {@code kid}; a token is valid on every replica and across restarts. Only ES384 under a live
 * key of this site verifies: {@code alg: none}, HMAC (key confusion) and every other algorithm are
 * refused. A token lasts five minutes. Verified tokens are cached until they expire, so a
 * request pays one map lookup; the scopes a cached token carries are still cut down at every
 * request to what the client is registered for now, and a removed client's tokens stop at once.
 */
@ApplicationScoped
public class AccessTokens {

    public static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final int CACHE_LIMIT = 50_000;

    /** A token that verified: whose it is, what it carries, until when. */
    private record Verified(String clientId, ScopeSet tokenScope, Instant expires, Effective effective) {
    }

    /** The token's scopes as allowed by one version of the registration. */
    private record Effective(ClientRegistration registration, ScopeSet scope) {
    }

    private final Map<String, Verified> cache = new ConcurrentHashMap<>();
    private final Function<String, Optional<ClientRegistration>> clients;
    private final TokenKeyRing keys;

    @Inject
    public AccessTokens(ClientRegistry registry, TokenSigningKeys keys) {
        this(registry::get, keys);
    }

    /** Over any view of the registered clients and any key ring (the benchmark's). */
    public AccessTokens(Function<String, Optional<ClientRegistration>> clients, TokenKeyRing keys) {
        this.clients = clients;
        this.keys = keys;
    }

    /** A signed token for {@code clientId} holding {@code scope}. */
    public String issue(String clientId, ScopeSet scope, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(clientId).claim("scope", scope.toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString()).build();
        ECKey key = keys.signingKey();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
        return jwt.serialize();
    }

    /** The caller a bearer token stands for, or NotAuthenticatedException. */
    public Caller verify(String token, Instant now) {
        return verify(token, now, true);
    }

    /** {@code useCache = false} verifies the signature every time (what the cache saves, for the benchmark). */
    public Caller verify(String token, Instant now, boolean useCache) {
        Verified v = useCache ? cache.get(token) : null;
        if (v == null) {
            v = verifySignature(token);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(token, v);
        }
        if (!v.expires().isAfter(now)) {
            cache.remove(token);
            throw new NotAuthenticatedException("the access token has expired; get a new one from the token endpoint");
        }
        ClientRegistration current = clients.apply(v.clientId())
                .orElseThrow(() -> new NotAuthenticatedException("the client of this token is no longer registered"));
        Effective e = v.effective();
        if (e == null || e.registration() != current) {
            e = new Effective(current, v.tokenScope().grantable(current.scope()));
            cache.put(token, new Verified(v.clientId(), v.tokenScope(), v.expires(), e));
        }
        return new Caller(v.clientId(), e.scope());
    }

    private Verified verifySignature(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES384.equals(jwt.getHeader().getAlgorithm())) {
                throw new NotAuthenticatedException("the access token is not signed ES384 by this site");
            }
            String kid = jwt.getHeader().getKeyID();
            Optional<ECKey> key = kid == null ? Optional.empty() : keys.verificationKey(kid);
            if (key.isEmpty() || !jwt.verify(new ECDSAVerifier(key.get()))) {
                throw new NotAuthenticatedException("the access token was not issued by this site (or has been"
                        + " altered, or its key has been retired); get a new one from the token endpoint");
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (c.getSubject() == null || c.getExpirationTime() == null) {
                throw new NotAuthenticatedException("the access token lacks sub or exp");
            }
            return new Verified(c.getSubject(), ScopeSet.parseLenient(c.getStringClaim("scope")),
                    c.getExpirationTime().toInstant(), null);
        } catch (ParseException | JOSEException | RuntimeException e) {
            if (e instanceof NotAuthenticatedException n) {
                throw n;
            }
            throw new NotAuthenticatedException("the bearer token is not a token of this site");
        }
    }
}
