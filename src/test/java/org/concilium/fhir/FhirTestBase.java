package org.concilium.fhir;

import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.testing.BearerTokens;
import org.concilium.testing.EmbeddedPostgresResource;
import org.concilium.testing.TestClient;

/**
 * Every @QuarkusTest shares one node on one embedded PostgreSQL. Requests built here act as the
 * {@link TestClient} (all scopes): the bearer token is attached in this one place.
 */
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
public abstract class FhirTestBase {

    protected static final String JSON = "application/fhir+json";
    private static final BearerTokens TOKENS = new BearerTokens(origin -> TestClient.tokens(origin + "/fhir"));

    /** A request to /fhir as the test client. */
    protected static RequestSpecification fhir() {
        return RestAssured.given().basePath("/fhir").contentType(JSON).accept(JSON).filter(TOKENS);
    }

    /** A request to /network/fhir as the test client (no URL encoding, for $-operations with literal values). */
    protected static RequestSpecification network() {
        return RestAssured.given().urlEncodingEnabled(false).basePath("/network/fhir").accept(JSON).filter(TOKENS);
    }

    /** A request to /fhir without any token. */
    protected static RequestSpecification anonymous() {
        return RestAssured.given().basePath("/fhir").contentType(JSON).accept(JSON);
    }

    /** The test client's tokens at this node, for SDK clients and {@code load}. */
    protected static AccessTokenSource tokens() {
        return TestClient.tokens("http://localhost:" + RestAssured.port + "/fhir");
    }
}
