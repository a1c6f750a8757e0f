package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import org.concilium.fhir.FhirTestBase;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.testing.TestClient;
import org.junit.jupiter.api.Test;

/**
 * Generated malformed credentials (jqwik, seeded: replay with -Dfuzz.seed=N): bearer tokens that
 * are mutations of a real one (a byte flipped in header, claims or signature; parts dropped, added,
 * swapped; headers rewritten to alg none, HS256, ES256, another kid) or arbitrary text, and client
 * assertions mutated the same way. A token that is not byte for byte ours is a 401 with an
 * OperationOutcome and an invalid_token challenge, never a 5xx or a 200; no mutant of an assertion
 * ever gets a token (400/401 with an RFC 6749 error).
 */
@QuarkusTest
class MalformedCredentialsFuzzTest extends FhirTestBase {

    private static final long SEED = Long.getLong("fuzz.seed", 20261126L);
    private static final List<String> HEADERS = List.of("{\"alg\":\"none\"}", "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
            "{\"alg\":\"ES256\"}", "{\"alg\":\"ES384\"}", "{\"alg\":\"ES384\",\"kid\":\"x\"}", "{\"alg\":\"RS384\"}",
            "{\"alg\":\"ES384\",\"kid\":null}", "{\"alg\":\"ES384\",\"jwk\":{\"kty\":\"EC\"}}", "{}", "[]", "null",
            "{\"alg\":\"ES384\",\"crit\":[\"exp\"]}", "{\"alg\":\"dir\",\"enc\":\"A256GCM\"}");

    private final Random random = new Random(SEED);

    private String draw(Arbitrary<String> a) {
        return a.generator(1000).next(random).value();
    }

    /** One mutation of a compact JWS; the result may be anything from a near miss to noise. */
    private String mutate(String jws) {
        String[] p = jws.split("\\.", -1);
        switch (random.nextInt(9)) {
            case 0 -> {
                int part = random.nextInt(3);
                char[] c = p[part].toCharArray();
                if (c.length > 0) {
                    int i = random.nextInt(c.length);
                    c[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(random.nextInt(64));
                }
                p[part] = new String(c);
            }
            case 1 -> p[random.nextInt(3)] = "";
            case 2 -> p[0] = Base64URL.encode(HEADERS.get(random.nextInt(HEADERS.size()))).toString();
            case 3 -> {
                p[0] = Base64URL.encode(HEADERS.get(random.nextInt(HEADERS.size()))).toString();
                p[2] = "";
            }
            case 4 -> {
                return String.join(".", p) + "." + draw(Arbitraries.strings().alpha().numeric().ofMaxLength(20));
            }
            case 5 -> {
                return p[0] + "." + p[1];
            }
            case 6 -> p[1] = Base64URL.encode(draw(Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80)))
                    .toString();
            case 7 -> {
                String s = p[random.nextInt(3)];
                p[random.nextInt(3)] = s;
            }
            default -> {
                return draw(Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(300));
            }
        }
        return String.join(".", p);
    }

    /** True when {@code candidate} carries exactly the bytes of {@code original} (a base64url spelling variant). */
    private static boolean sameBytes(String original, String candidate) {
        String[] a = original.split("\\.", -1);
        String[] b = candidate.split("\\.", -1);
        if (a.length != b.length) {
            return false;
        }
        try {
            for (int i = 0; i < a.length; i++) {
                if (!Arrays.equals(new Base64URL(a[i]).decode(), new Base64URL(b[i]).decode())) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    void malformedBearerTokensAre401AndMalformedAssertionsGetNoToken() {
        String fhirBase = "http://localhost:" + RestAssured.port + "/fhir";
        AccessTokenSource source = new AccessTokenSource(fhirBase, TestClient.ID, TestClient.key(), "system/Patient.rs");
        String good = source.token();
        String tokenUrl = source.tokenUrl();
        int refused = 0;
        JqwikSession.start();
        try {
            for (int i = 0; i < 300; i++) {
                String bad = mutate(good);
                Response r = RestAssured.given().header("Authorization", "Bearer " + bad).accept("application/fhir+json")
                        .get("/fhir/Patient?_count=1");
                String seen = "seed " + SEED + ", case " + i + ": " + bad;
                if (sameBytes(good, bad)) {
                    assertThat(r.statusCode()).as(seen).isEqualTo(200);
                    continue;
                }
                assertThat(r.statusCode()).as(seen).isEqualTo(401);
                assertThat(r.header("WWW-Authenticate")).as(seen).contains("error=\"invalid_token\"");
                assertThat(r.jsonPath().getString("resourceType")).as(seen).isEqualTo("OperationOutcome");
                assertThat(r.asString()).as(seen).doesNotContain("Exception");
                refused++;
            }
            String assertion = source.assertion();
            tokenRequest(tokenUrl, assertion).then().statusCode(200); // used once: every later copy is a replay
            for (int i = 0; i < 150; i++) {
                String bad = random.nextInt(10) == 0 ? assertion : mutate(assertion);
                Response r = tokenRequest(tokenUrl, bad);
                String seen = "seed " + SEED + ", assertion case " + i + ": " + bad;
                assertThat(r.statusCode()).as(seen).isIn(400, 401);
                assertThat(r.jsonPath().getString("error")).as(seen).isIn("invalid_client", "invalid_request");
                assertThat(r.jsonPath().getString("access_token")).as(seen).isNull();
                assertThat(r.header("Cache-Control")).as(seen).isEqualTo("no-store");
            }
        } finally {
            JqwikSession.finish();
        }
        assertThat(refused).as("mutants refused").isGreaterThan(250);
    }

    private static Response tokenRequest(String tokenUrl, String assertion) {
        return RestAssured.given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("scope", "system/Patient.rs")
                .formParam("client_assertion_type", TokenService.ASSERTION_TYPE)
                .formParam("client_assertion", assertion).post(tokenUrl);
    }

}
