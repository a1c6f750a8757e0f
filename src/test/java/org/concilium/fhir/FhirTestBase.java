package org.concilium.fhir;

import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.concilium.testing.EmbeddedPostgresResource;

/** Every @QuarkusTest shares one node on one embedded PostgreSQL. */
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
public abstract class FhirTestBase {

    protected static final String JSON = "application/fhir+json";

    protected static RequestSpecification fhir() {
        return RestAssured.given().basePath("/fhir").contentType(JSON).accept(JSON);
    }
}
