package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.concilium.security.client.ClientKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token endpoint over HTTP: every class of bad client assertion gets an RFC 6749 error and no
 * token; a good one gets a five-minute token with no more than the registered scope.
 */
@QuarkusTest
class TokenEndpointTest extends FhirTestBase {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Inject
    ClientRegistry registry;
    @Inject
    Pool pool;

    ClientKey ecKey;
    ClientKey rsaKey;
    String ecClient;
    String rsaClient;
    String tokenUrl;

    @BeforeEach
    void registerClients() throws JOSEException {
        ecKey = ClientKey.generate();
        rsaKey = new ClientKey(new RSAKeyGenerator(2048).keyID("rsa-1").generate());
        ecClient = "ehr-" + UUID.randomUUID();
        rsaClient = "rsa-" + UUID.randomUUID();
        registry.store().add(new ClientRegistration(ecClient, ClientKeys.parse(ecKey.publicJwks()),
                ScopeSet.parseStrict("system/Patient.rs system/Observation.rs"), Instant.now()));
        registry.store().add(new ClientRegistration(rsaClient, ClientKeys.parse(rsaKey.publicJwks()),
                ScopeSet.parseStrict("system/*.read"), Instant.now()));
        tokenUrl = RestAssured.given().get("/fhir/.well-known/smart-configuration").then().statusCode(200)
                .extract().path("token_endpoint");
    }

    private ValidatableResponse token(String assertion, String scope) {
        var req = RestAssured.given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("client_assertion_type", ASSERTION_TYPE)
                .formParam("client_assertion", assertion);
        if (scope != null) {
            req.formParam("scope", scope);
        }
        return req.post(tokenUrl).then().header("Cache-Control", "no-store");
    }

    private void refused(String assertion, String why) {
        token(assertion, "system/Patient.rs").statusCode(401).body("error", equalTo("invalid_client"))
                .body("error_description", containsString(why)).body("access_token", nullValue());
    }

    @Test
    void discoveryNamesTheEndpointAndWhatItAccepts() {
        RestAssured.given().get("/fhir/.well-known/smart-configuration").then().statusCode(200)
                .body("grant_types_supported", equalTo(List.of("client_credentials")))
                .body("token_endpoint_auth_methods_supported", equalTo(List.of("private_key_jwt")))
                .body("token_endpoint_auth_signing_alg_values_supported", equalTo(List.of("RS384", "ES384")))
                .body("scopes_supported", hasItems("system/*.rs", "concilium/network.query"));
        anonymous().get("/metadata").then().statusCode(200)
                .body("rest[0].security.service[0].coding[0].code", equalTo("SMART-on-FHIR"))
                .body("rest[0].security.description", containsString("/fhir/.well-known/smart-configuration"))
                .body("rest[0].security.extension", nullValue()); // SMART 2.x: discovery is the well-known file
    }

    @Test
    void aGoodAssertionGetsAFiveMinuteTokenCutToTheRegisteredScope() {
        token(new TestAssertion(ecClient, tokenUrl).signedWith(ecKey), "system/*.cruds system/Condition.rs")
                .statusCode(200).body("token_type", equalTo("bearer")).body("expires_in", equalTo(300))
                .body("scope", equalTo("system/Observation.rs system/Patient.rs"));
        token(new TestAssertion(rsaClient, tokenUrl).signedWith(rsaKey), "system/Patient.read")
                .statusCode(200).body("scope", equalTo("system/Patient.rs"));
    }

    @Test
    void malformedAssertions() {
        refused("not-a-jwt", "not a signed JWT");
        refused("eyJhbGciOiJFUzM4NCJ9.e30.AAAA", "iss and sub");
    }

    @Test
    void expiredAndFarFutureAssertions() {
        refused(new TestAssertion(ecClient, tokenUrl).exp(Duration.ofSeconds(-60)).signedWith(ecKey), "expired");
        refused(new TestAssertion(ecClient, tokenUrl).exp(Duration.ofMinutes(10)).signedWith(ecKey),
                "more than five minutes");
    }

    @Test
    void wrongAudience() {
        refused(new TestAssertion(ecClient, "https://other-hospital.example/auth/token").signedWith(ecKey), "aud");
    }

    @Test
    void aReplayedJtiIsRefusedAndTheRefusalSurvivesARestartBecauseItIsStored() {
        String assertion = new TestAssertion(ecClient, tokenUrl).signedWith(ecKey);
        token(assertion, "system/Patient.rs").statusCode(200);
        refused(assertion, "used before");
        // a fresh jti with the same claims otherwise is fine
        token(new TestAssertion(ecClient, tokenUrl).signedWith(ecKey), "system/Patient.rs").statusCode(200);
        // what a restarted node knows: only the database. A verifier built from nothing but the tables refuses too.
        int rows = pool.preparedQuery("SELECT count(*) FROM auth_assertion_jti WHERE client_id = $1")
                .execute(Tuple.of(ecClient)).await().indefinitely().iterator().next().getInteger(0);
        assertThat(rows).isEqualTo(2);
        ClientStore fromDisk = new ClientStore(pool);
        assertThatThrownBy(() -> new ClientAssertionVerifier(fromDisk::find, fromDisk::firstUseOf)
                .verify(assertion, List.of(tokenUrl), Instant.now()))
                .isInstanceOf(OAuthException.class).hasMessageContaining("used before");
    }

    @Test
    void algNoneAndHmacWithThePublicKeyAreRefused() {
        refused(new TestAssertion(ecClient, tokenUrl).unsigned(), "not a signed JWT");
        refused(new TestAssertion(rsaClient, tokenUrl).hmacWithPublicKey(rsaKey), "RS384 or ES384");
        refused(new TestAssertion(ecClient, tokenUrl).hmacWithPublicKey(ecKey), "RS384 or ES384");
    }

    @Test
    void otherSignatureAlgorithmsAreRefusedEvenWithTheRightKey() throws JOSEException {
        refused(new TestAssertion(rsaClient, tokenUrl).sign(JWSAlgorithm.RS256, "rsa-1",
                TestAssertion.signer(rsaKey)), "RS384 or ES384");
        ClientKey p256 = new ClientKey(new ECKeyGenerator(Curve.P_256).generate());
        refused(new TestAssertion(ecClient, tokenUrl).sign(JWSAlgorithm.ES256, null,
                new ECDSASigner(p256.privateKey().toECKey())), "RS384 or ES384");
    }

    @Test
    void unknownClientAndUnregisteredKey() {
        refused(new TestAssertion("nobody-" + UUID.randomUUID(), tokenUrl).signedWith(ecKey), "no client");
        ClientKey stranger = ClientKey.generate();
        refused(new TestAssertion(ecClient, tokenUrl).signedWith(stranger), "not signed by a key this client registered");
        // the stranger even claims the registered key's kid
        ClientKey sameKid = new ClientKey(stranger.privateKey());
        refused(new TestAssertion(ecClient, tokenUrl).sign(JWSAlgorithm.ES384, ecKey.privateKey().getKeyID(),
                TestAssertion.signer(sameKid)), "not signed by a key this client registered");
        refused(new TestAssertion(rsaClient, tokenUrl).signedWith(ecKey), "not signed by a key this client registered");
    }

    @Test
    void issAndSubMustBeTheClient() {
        TestAssertion a = new TestAssertion(ecClient, tokenUrl);
        a.sub = rsaClient;
        refused(a.signedWith(ecKey), "iss and sub");
    }

    @Test
    void requestErrorsAndScopesNeverGranted() {
        RestAssured.given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .post(tokenUrl).then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        RestAssured.given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post(tokenUrl).then().statusCode(400)
                .body("error", equalTo("invalid_request")).body("access_token", nullValue());
        token(new TestAssertion(ecClient, tokenUrl).signedWith(ecKey), null).statusCode(400)
                .body("error", equalTo("invalid_request"));
        token(new TestAssertion(ecClient, tokenUrl).signedWith(ecKey), "system/Condition.rs concilium/network.query")
                .statusCode(400).body("error", equalTo("invalid_scope")).body("access_token", nullValue());
    }

    @Test
    void aJwksWithPrivateKeyMaterialCannotBeRegistered() throws JOSEException {
        RSAKey full = new RSAKeyGenerator(2048).generate();
        assertThatThrownBy(() -> ClientKeys.parse("{\"keys\":[" + full.toJSONString() + "]}"))
                .hasMessageContaining("private key material");
        assertThatThrownBy(() -> ClientKeys.parse("{\"keys\":[" + new ECKeyGenerator(Curve.P_256).generate()
                .toPublicJWK().toJSONString() + "]}")).hasMessageContaining("P-384");
    }
}
