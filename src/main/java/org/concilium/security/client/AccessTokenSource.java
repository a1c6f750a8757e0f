package org.concilium.security.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Access tokens for one registered client at one node: discovers the token endpoint from the FHIR
 * base's {@code .well-known/smart-configuration}, signs a fresh client assertion (new jti, exp in
 * four minutes) and keeps the token until shortly before it expires. Thread-safe.
 */
public final class AccessTokenSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(60);

    private final String fhirBase;
    private final String clientId;
    private final ClientKey key;
    private final String scope;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String tokenUrl;
    private String token;
    private Instant expires = Instant.MIN;

    public AccessTokenSource(String fhirBase, String clientId, ClientKey key, String scope) {
        this.fhirBase = fhirBase.endsWith("/") ? fhirBase.substring(0, fhirBase.length() - 1) : fhirBase;
        this.clientId = clientId;
        this.key = key;
        this.scope = scope;
    }

    public String clientId() {
        return clientId;
    }

    /** A valid access token, fetched when none is held or the held one is about to expire. */
    public synchronized String token() {
        if (token == null || Instant.now().plus(RENEW_BEFORE).isAfter(expires)) {
            fetch();
        }
        return token;
    }

    /** Forgets the held token (the node restarted, so it no longer accepts it). */
    public synchronized void invalidate() {
        token = null;
    }

    /** {@code Bearer <token>}, for an Authorization header. */
    public String authorization() {
        return "Bearer " + token();
    }

    public synchronized String tokenUrl() {
        if (tokenUrl == null) {
            JsonNode config = json(send(HttpRequest.newBuilder(URI.create(fhirBase
                    + "/.well-known/smart-configuration")).header("Accept", "application/json").build()));
            tokenUrl = config.path("token_endpoint").asText();
        }
        return tokenUrl;
    }

    /** A signed client assertion for this node's token endpoint (RFC 7523 / SMART Backend Services). */
    public String assertion() {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(tokenUrl())
                .expirationTime(Date.from(now.plusSeconds(240))).jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).keyID(key.privateKey().getKeyID())
                .type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
        try {
            JWSSigner signer = key.privateKey() instanceof RSAKey rsa ? new RSASSASigner(rsa)
                    : new ECDSASigner((ECKey) key.privateKey());
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the client assertion", e);
        }
        return jwt.serialize();
    }

    private void fetch() {
        String form = "grant_type=client_credentials&scope=" + enc(scope)
                + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=" + enc(assertion());
        JsonNode r = json(send(HttpRequest.newBuilder(URI.create(tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build()));
        token = r.path("access_token").asText();
        expires = Instant.now().plusSeconds(r.path("expires_in").asLong(60));
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " -> HTTP " + r.statusCode()
                        + " " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the node answered something that is not JSON", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
