package org.concilium.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.concilium.testing.SharedData;
import org.junit.jupiter.api.Test;

/** {@code concilium.fhir.validation=strict}: cardinality and dangling local references are refused. */
@QuarkusTest
@TestProfile(StrictIngestTest.Strict.class)
class StrictIngestTest extends FhirTestBase {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("concilium.fhir.validation", "strict");
        }
    }

    @Test
    void missingRequiredElementIs422WithItsLocation() {
        fhir().body(IngestPolicyTest.ENCOUNTER_WITHOUT_CLASS.formatted("strict-e1", "strict-p1"))
                .put("/Encounter/strict-e1").then().statusCode(422)
                .body("issue[0].code", equalTo("business-rule"))
                .body("issue[0].expression[0]", equalTo("Encounter.class"));
        fhir().get("/Encounter/strict-e1").then().statusCode(404);
    }

    @Test
    void libraryWhoseCqlDoesNotCompileIs422AndNotStored() {
        fhir().body(IngestPolicyTest.brokenCqlLibrary("strict-broken-cql")).put("/Library/strict-broken-cql")
                .then().statusCode(422)
                .body("issue[0].diagnostics", containsString("strictbrokencql line 4:"));
        fhir().get("/Library/strict-broken-cql").then().statusCode(404);
    }

    @Test
    void danglingContainedReferenceIsRefused() throws IOException {
        String bundle = Files.readString(SharedData.dir("clinical-reasoning/connectathon/EXM124-9.0.000-bundle.json"));
        fhir().body(bundle).post("").then().statusCode(400)
                .body("issue[0].diagnostics", containsString("#cqf-tooling"));
    }
}
