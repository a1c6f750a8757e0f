package org.concilium.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.concilium.testing.ScopedClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conditional criteria are searches: whether they match shows in the answer (201 vs 200/412, 404),
 * so a client with Observation scopes only could ask "is there a Patient with this identifier?"
 * through a chain in If-None-Exist, a conditional update or delete, or a transaction's conditional
 * reference. Each needs search scope on every type it reaches, like a search (red-team finding).
 */
@QuarkusTest
class ConditionalCriteriaScopeTest extends FhirTestBase {

    @Inject
    ClientRegistry registry;

    private String mrn;
    private String observationsOnly;

    @BeforeEach
    void patient() {
        mrn = "cc-" + UUID.randomUUID();
        fhir().body("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"http://hospital.example/mrn\",\"value\":\""
                + mrn + "\"}]}").post("/Patient").then().statusCode(201);
        observationsOnly = ScopedClients.authorization(registry, "system/Observation.cruds");
    }

    private RequestSpecification observationClient() {
        return fhir().header("Authorization", observationsOnly).urlEncodingEnabled(false);
    }

    private static String observation(String subject) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"cc\"}"
                + (subject == null ? "" : ",\"subject\":{\"reference\":\"" + subject + "\"}") + "}";
    }

    @Test
    void ifNoneExistWithAChainNeedsTheChainedTypesScope() {
        observationClient().header("If-None-Exist", "subject:Patient.identifier=" + mrn).body(observation(null))
                .post("/Observation").then().statusCode(403).body("issue[0].code", equalTo("forbidden"))
                .body("issue[0].diagnostics", containsString("Patient"));
        observationClient().header("If-None-Exist", "_has:Observation:subject:code=x").body(observation(null))
                .post("/Patient").then().statusCode(403);
    }

    @Test
    void conditionalUpdateAndDeleteWithAChainNeedTheChainedTypesScope() {
        observationClient().body(observation(null)).put("/Observation?subject:Patient.identifier=" + mrn).then()
                .statusCode(403);
        observationClient().delete("/Observation?subject:Patient.identifier=" + mrn).then().statusCode(403);
        observationClient().delete("/Observation?patient.identifier=" + mrn).then().statusCode(403);
    }

    @Test
    void transactionCriteriaAndConditionalReferencesNeedTheirTypesScope() {
        String ifNoneExist = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + observation(null) + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\",\"ifNoneExist\":"
                + "\"subject:Patient.identifier=" + mrn + "\"}}]}";
        observationClient().body(ifNoneExist).post("").then().statusCode(403);
        String reference = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + observation("Patient?identifier=http://hospital.example/mrn|" + mrn)
                + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        observationClient().body(reference).post("").then().statusCode(403)
                .body("issue[0].diagnostics", containsString("Patient"));
        String batch = reference.replace("\"transaction\"", "\"batch\"");
        observationClient().body(batch).post("").then().statusCode(200)
                .body("entry[0].response.status", containsString("403"));
        String delete = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":"
                + "{\"method\":\"DELETE\",\"url\":\"Observation?subject:Patient.identifier=" + mrn + "\"}}]}";
        observationClient().body(delete).post("").then().statusCode(403);
    }

    @Test
    void aPlainWritesConditionalReferenceNeedsTheReferencedTypesSearchScope() {
        String subject = "Patient?identifier=http://hospital.example/mrn|" + mrn;
        observationClient().body(observation(subject)).post("/Observation").then().statusCode(403)
                .body("issue[0].diagnostics", containsString("Patient"));
        observationClient().body(observation(subject).replace("{\"resourceType\":\"Observation\",",
                "{\"resourceType\":\"Observation\",\"id\":\"cc-" + mrn + "\",")).put("/Observation/cc-" + mrn)
                .then().statusCode(403);
        String both = ScopedClients.authorization(registry, "system/Observation.cruds system/Patient.rs");
        fhir().header("Authorization", both).urlEncodingEnabled(false).body(observation(subject))
                .post("/Observation").then().statusCode(201)
                .body("subject.reference", org.hamcrest.Matchers.startsWith("Patient/"));
    }

    @Test
    void withTheScopeTheCriteriaStillWork() {
        String both = ScopedClients.authorization(registry, "system/Observation.cruds system/Patient.rs");
        fhir().header("Authorization", both).urlEncodingEnabled(false)
                .header("If-None-Exist", "subject:Patient.identifier=" + mrn).body(observation(null))
                .post("/Observation").then().statusCode(201);
        String reference = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + observation("Patient?identifier=http://hospital.example/mrn|" + mrn)
                + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        fhir().header("Authorization", both).urlEncodingEnabled(false).body(reference).post("").then()
                .statusCode(200).body("entry[0].response.status", equalTo("201 Created"));
    }
}
