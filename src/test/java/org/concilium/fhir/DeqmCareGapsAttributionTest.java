package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.concilium.security.ClientRegistry;
import org.concilium.testing.ScopedClients;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Measure/$care-gaps} without a subject, as DEQM allows: for an {@code organization}, or a
 * {@code practitioner} and an {@code organization}, over the Patients attributed to them by
 * {@code managingOrganization} and {@code generalPractitioner} (%test bounds a run at 3 Patients).
 */
@QuarkusTest
class DeqmCareGapsAttributionTest extends FhirTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String GAPS = "/Measure/$care-gaps?periodStart=2024-01-01&periodEnd=2024-12-31&measureId=deqm-gaps"
            + "&status=open-gap&status=closed-gap";

    @Inject
    ClientRegistry registry;

    @BeforeEach
    void data() {
        List<Resource> all = new ArrayList<>(List.of(DeqmCareGapsTest.library(), DeqmCareGapsTest.measure(),
                DeqmCareGapsTest.valueSet()));
        for (String org : List.of("attr-clinic", "attr-big", "attr-empty")) {
            all.add(new Organization().setName(org).setId(org));
        }
        all.add(new Practitioner().setActive(true).setId("attr-doc"));
        // attr-clinic: one open gap with Dr attr-doc, one closed gap with nobody; attr-big: four patients
        all.addAll(attributed(DeqmCareGapsTest.patient("attr-open", true, false), "attr-clinic", "attr-doc"));
        all.addAll(attributed(DeqmCareGapsTest.patient("attr-closed", true, true), "attr-clinic", null));
        for (int i = 0; i < 4; i++) {
            all.addAll(attributed(DeqmCareGapsTest.patient("attr-big-" + i, true, false), "attr-big", "attr-doc"));
        }
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource r : all) {
            tx.addEntry().setResource(r).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart());
        }
        fhir().urlEncodingEnabled(false).body(FHIR.newJsonParser().encodeResourceToString(tx)).post("").then().statusCode(200);
    }

    @Test
    void anOrganizationsPatientsAndAPractitionersAmongThem() {
        assertThat(gapsBySubject(careGaps("&organization=Organization/attr-clinic")))
                .isEqualTo(Map.of("Patient/attr-closed", "closed-gap", "Patient/attr-open", "open-gap"));
        assertThat(gapsBySubject(careGaps("&organization=Organization/attr-clinic&practitioner=Practitioner/attr-doc")))
                .isEqualTo(Map.of("Patient/attr-open", "open-gap"));
        assertThat(careGaps("&organization=Organization/attr-empty").getParameter()).isEmpty();
        // a POST with a Parameters body reads the same
        Parameters in = new Parameters();
        in.addParameter("periodStart", new org.hl7.fhir.r4.model.DateType("2024-01-01"));
        in.addParameter("periodEnd", new org.hl7.fhir.r4.model.DateType("2024-12-31"));
        in.addParameter("measureId", "deqm-gaps");
        in.addParameter("status", "open-gap");
        in.addParameter("organization", "Organization/attr-clinic");
        String body = fhir().urlEncodingEnabled(false).body(FHIR.newJsonParser().encodeResourceToString(in))
                .post("/Measure/$care-gaps").then().statusCode(200).extract().asString();
        assertThat(gapsBySubject(FHIR.newJsonParser().parseResource(Parameters.class, body)))
                .isEqualTo(Map.of("Patient/attr-open", "open-gap"));
    }

    @Test
    void theDeqmCombinationsAndTheBound() {
        fhir().urlEncodingEnabled(false).get(GAPS + "&practitioner=Practitioner/attr-doc").then().statusCode(400)
                .body("issue[0].diagnostics", containsString("organization"));
        fhir().urlEncodingEnabled(false).get(GAPS + "&subject=Patient/attr-open&organization=Organization/attr-clinic")
                .then().statusCode(400);
        fhir().urlEncodingEnabled(false).get(GAPS).then().statusCode(400);
        fhir().urlEncodingEnabled(false).get(GAPS + "&organization=Practitioner/attr-doc").then().statusCode(400);
        fhir().urlEncodingEnabled(false).get(GAPS + "&organization=Organization/attr-clinic&organization=Organization/attr-big")
                .then().statusCode(400);
        fhir().urlEncodingEnabled(false).get(GAPS + "&organization=Organization/no-such-org").then().statusCode(404);
        fhir().urlEncodingEnabled(false).get(GAPS + "&organization=Organization/attr-clinic&practitioner=Practitioner/nobody")
                .then().statusCode(404);
        // bad input is refused before any look-up
        fhir().urlEncodingEnabled(false).get(GAPS.replace("open-gap", "wide-gap") + "&organization=Organization/no-such-org")
                .then().statusCode(400);
        fhir().urlEncodingEnabled(false).get(GAPS + "&organization=Organization/attr-big").then().statusCode(422)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("max-attributed"));
    }

    @Test
    void attributionNeedsOrganizationReadAndPatientSearch() {
        String noOrganizations = ScopedClients.authorization(registry,
                "system/Measure.rs system/Library.rs system/Patient.rs system/Encounter.rs system/Observation.rs");
        RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").header("Authorization", noOrganizations)
                .get("/fhir" + GAPS + "&organization=Organization/attr-clinic").then().statusCode(403)
                .body("issue[0].diagnostics", containsString("Organization"));
        String readOnlyPatients = ScopedClients.authorization(registry, "system/Measure.rs system/Library.rs system/Patient.r"
                + " system/Organization.r system/Encounter.rs system/Observation.rs");
        RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").header("Authorization", readOnlyPatients)
                .get("/fhir" + GAPS + "&organization=Organization/attr-clinic").then().statusCode(403);
        String clinic = ScopedClients.authorization(registry, "system/Measure.rs system/Library.rs system/Patient.rs"
                + " system/Organization.r system/Encounter.rs system/Observation.rs");
        RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").header("Authorization", clinic)
                .get("/fhir" + GAPS + "&organization=Organization/attr-clinic").then().statusCode(200);
        RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").header("Authorization", clinic)
                .get("/fhir" + GAPS + "&organization=Organization/attr-clinic&practitioner=Practitioner/attr-doc")
                .then().statusCode(403).body("issue[0].diagnostics", containsString("Practitioner"));
    }

    private static List<Resource> attributed(List<Resource> record, String organization, String practitioner) {
        Patient p = (Patient) record.get(0);
        p.setManagingOrganization(new Reference("Organization/" + organization));
        if (practitioner != null) {
            p.addGeneralPractitioner(new Reference("Practitioner/" + practitioner));
        }
        return record;
    }

    private static Parameters careGaps(String who) {
        String body = fhir().urlEncodingEnabled(false).get(GAPS + who).then().statusCode(200)
                .body("resourceType", equalTo("Parameters")).extract().asString();
        return FHIR.newJsonParser().parseResource(Parameters.class, body);
    }

    /** Per document: the report's subject and its one gap status. */
    private static Map<String, String> gapsBySubject(Parameters p) {
        Map<String, String> out = new TreeMap<>();
        for (var param : p.getParameter()) {
            Bundle b = (Bundle) param.getResource();
            String subject = b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(MeasureReport.class::isInstance).map(r -> ((MeasureReport) r).getSubject().getReference())
                    .findFirst().orElseThrow();
            String status = b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(DetectedIssue.class::isInstance)
                    .map(d -> ((CodeableConcept) ((DetectedIssue) d).getModifierExtension().get(0).getValue())
                            .getCodingFirstRep().getCode()).findFirst().orElseThrow();
            out.put(subject, status);
        }
        return out;
    }
}
