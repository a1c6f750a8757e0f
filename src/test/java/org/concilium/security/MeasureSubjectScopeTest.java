package org.concilium.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.concilium.testing.CqlMeasureFixture;
import org.concilium.testing.ScopedClients;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * A subject (or subject-list) report says which populations a patient is in, which is derived from
 * the patient's clinical resources, and lists them in {@code evaluatedResource}. A client allowed
 * Patient, Measure and MeasureReport but not Encounter learned "this patient had an encounter in
 * 2024" and the Encounter's id (red-team finding); {@code $collect-data} and {@code $care-gaps}
 * already refused this. A patient-level report needs read on every type the measure retrieves,
 * decided from the measure (its data requirements), not from the answer, so the 403 is no oracle.
 */
@QuarkusTest
class MeasureSubjectScopeTest extends FhirTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String CQL = """
            library RtSubjectScope version '1.0.0'
            using FHIR version '4.0.1'
            include FHIRHelpers version '4.0.1' called FHIRHelpers
            parameter "Measurement Period" Interval<DateTime>
            context Patient
            define "Initial Population": exists [Encounter] E where E.period during "Measurement Period"
            define "Denominator": "Initial Population"
            define "Numerator": "Initial Population"
            """;

    @Inject
    ClientRegistry registry;

    @Test
    void aSubjectReportNeedsReadOnTheTypesTheMeasureRetrieves() {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource r : new Resource[] {CqlMeasureFixture.library("rt-subject-scope", "RtSubjectScope", CQL),
                CqlMeasureFixture.withIds(CqlMeasureFixture.proportion("rt-subject-scope", "RtSubjectScope",
                        "http://example.org/fhir/Library/RtSubjectScope"))}) {
            tx.addEntry().setResource(r).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart());
        }
        fhir().urlEncodingEnabled(false).body(FHIR.newJsonParser().encodeResourceToString(tx)).post("").then()
                .statusCode(200);
        String patient = "rt-" + UUID.randomUUID().toString().substring(0, 8);
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}").put("/Patient/" + patient).then()
                .statusCode(201);
        String encounter = fhir().body("{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"period\":{\"start\":\"2024-03-01T10:00:00Z\","
                + "\"end\":\"2024-03-01T11:00:00Z\"}}").post("/Encounter").then().statusCode(201).extract().path("id");
        String query = "/Measure/rt-subject-scope/$evaluate-measure?periodStart=2024-01-01&periodEnd=2024-12-31"
                + "&reportType=subject&subject=Patient/" + patient;
        // the test client may read everything: the report names the Encounter
        assertThat(fhir().urlEncodingEnabled(false).get(query).then().statusCode(200).extract().asString())
                .contains(encounter);

        String noEncounters = ScopedClients.authorization(registry,
                "system/Patient.rs system/Measure.rs system/Library.rs system/MeasureReport.c");
        Response r = fhir().header("Authorization", noEncounters).urlEncodingEnabled(false).get(query);
        assertThat(r.asString()).doesNotContain(encounter);
        r.then().statusCode(403).body("issue[0].diagnostics", containsString("Encounter"));
        // the same for a patient without any Encounter: the refusal does not depend on the data
        String empty = "rt-" + UUID.randomUUID().toString().substring(0, 8);
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + empty + "\"}").put("/Patient/" + empty).then()
                .statusCode(201);
        fhir().header("Authorization", noEncounters).urlEncodingEnabled(false).get(query.replace(patient, empty))
                .then().statusCode(403);
        // a population report (counts only) keeps needing only Measure and MeasureReport
        fhir().header("Authorization", noEncounters).urlEncodingEnabled(false)
                .get("/Measure/rt-subject-scope/$evaluate-measure?periodStart=2024-01-01&periodEnd=2024-12-31")
                .then().statusCode(200);
        String withEncounters = ScopedClients.authorization(registry,
                "system/Patient.rs system/Measure.rs system/Library.rs system/MeasureReport.c system/Encounter.r");
        fhir().header("Authorization", withEncounters).urlEncodingEnabled(false).get(query).then().statusCode(200);
    }
}
