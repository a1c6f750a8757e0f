package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.concilium.testing.TestClient;
import org.junit.jupiter.api.Test;

/**
 * Access tokens are ES384 under the site's key from the database (named by kid, published at
 * /auth/jwks, sealed at rest), survive a rotation until they expire, and nothing else verifies:
 * a foreign key under our kid, alg none, HS256 keyed with our public key, ES256. (Validity across a
 * restart and a second process on the same database: SharedTokenKeyIT.)
 */
@QuarkusTest
class TokenSigningKeyTest extends FhirTestBase {

    @Inject
    TokenSigningKeys keys;
    @Inject
    Pool pool;

    private static String freshToken() {
        return new org.concilium.security.client.AccessTokenSource("http://localhost:" + RestAssured.port + "/fhir",
                TestClient.ID, TestClient.key(), "system/Patient.rs").token();
    }

    private static int status(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).accept(JSON).get("/fhir/Patient?_count=1")
                .statusCode();
    }

    @Test
    void tokensAreEs384UnderAPublishedKidAndThePrivateKeyIsSealedAtRest() throws Exception {
        String token = freshToken();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
        String jwksText = RestAssured.given().get("/auth/jwks").then().statusCode(200).extract().asString();
        JWKSet jwks = JWKSet.parse(jwksText);
        assertThat(jwks.getKeyByKeyId(jwt.getHeader().getKeyID())).isNotNull();
        assertThat(jwks.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        assertThat(jwksText).doesNotContain("\"d\"");
        assertThat(jwt.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(
                (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID())))).isTrue();
        assertThat(status(token)).isEqualTo(200);

        String d = keys.signingKey().getD().toString();
        List<String> sealed = new ArrayList<>();
        for (Row r : pool.query("SELECT sealed_private, public_jwk FROM auth_signing_key").execute().await()
                .atMost(Duration.ofSeconds(10))) {
            sealed.add(r.getString(0) + r.getString(1));
            assertThat(r.getString(0).split("\\.")).hasSize(5); // a compact JWE
        }
        assertThat(sealed).isNotEmpty().noneMatch(s -> s.contains(d));
    }

    @Test
    void aRotatedKeyKeepsVerifyingTheTokensItSigned() throws Exception {
        String before = freshToken();
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();
        String newKid = keys.rotateNow();
        String after = freshToken();
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(newKid).isNotEqualTo(oldKid);
        assertThat(status(before)).isEqualTo(200);
        assertThat(status(after)).isEqualTo(200);
        JWKSet jwks = JWKSet.parse(RestAssured.given().get("/auth/jwks").then().statusCode(200).extract().asString());
        assertThat(jwks.getKeyByKeyId(oldKid)).isNotNull();
        assertThat(jwks.getKeyByKeyId(newKid)).isNotNull();
    }

    @Test
    void onlyOurEs384SignatureVerifies() throws Exception {
        SignedJWT ours = SignedJWT.parse(freshToken());
        JWTClaimsSet claims = ours.getJWTClaimsSet();
        String kid = ours.getHeader().getKeyID();
        ECKey foreign = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_384).keyID(kid)
                .generate();
        SignedJWT foreignSigned = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(kid).build(), claims);
        foreignSigned.sign(new ECDSASigner(foreign));
        SignedJWT unknownKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(UUID.randomUUID()
                .toString()).build(), claims);
        unknownKid.sign(new ECDSASigner(foreign));
        // key confusion: HS256 keyed with the bytes of our published public key
        byte[] publicBytes = keys.signingKey().toPublicJWK().toJSONString().getBytes();
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
        hmac.sign(new MACSigner(java.util.Arrays.copyOf(publicBytes, Math.max(32, publicBytes.length))));
        ECKey p256 = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID(kid)
                .generate();
        SignedJWT es256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), claims);
        es256.sign(new ECDSASigner(p256));
        String none = new PlainJWT(claims).serialize();
        String noKid = ours.getParsedParts()[0].toString();
        assertThat(noKid).isNotEmpty();
        JWTClaimsSet expired = new JWTClaimsSet.Builder(claims).expirationTime(Date.from(Instant.now().minusSeconds(5)))
                .build();
        SignedJWT expiredOurs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(kid).build(), expired);
        expiredOurs.sign(new ECDSASigner(keys.signingKey()));

        for (String bad : List.of(foreignSigned.serialize(), unknownKid.serialize(), hmac.serialize(),
                es256.serialize(), none, none + "x", expiredOurs.serialize())) {
            RestAssured.given().header("Authorization", "Bearer " + bad).accept(JSON).get("/fhir/Patient").then()
                    .statusCode(401).header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                    .body("resourceType", equalTo("OperationOutcome")).body("issue[0].code", equalTo("login"));
        }
        // the same claims under our key do verify: the refusals above are the signature's doing
        SignedJWT resigned = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(kid).build(), claims);
        resigned.sign(new ECDSASigner(keys.signingKey()));
        assertThat(status(resigned.serialize())).isEqualTo(200);
    }
}
