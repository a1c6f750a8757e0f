package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.concilium.security.ClientRegistry;
import org.concilium.testing.CqlMeasureFixture;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DataRequirement;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DEQM operations over HTTP: {@code $data-requirements} returns the module-definition Library that
 * cqf-fhir-cr computes from the Measure's CQL (retrieved types, value-set filters, the period
 * parameter), {@code $submit-data} stores the reports and resources it is given, and both respect
 * the caller's scopes.
 */
@QuarkusTest
class DeqmOperationTest extends FhirTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String VS = "http://example.org/fhir/ValueSet/deqm-pap";

    static final String CQL = """
            library DeqmScreening version '1.0.0'
            using FHIR version '4.0.1'
            include FHIRHelpers version '4.0.1' called FHIRHelpers
            valueset "Pap": 'http://example.org/fhir/ValueSet/deqm-pap'
            parameter "Measurement Period" Interval<DateTime>
            context Patient
            define "Initial Population": exists [Encounter] E where E.period during "Measurement Period"
            define "Denominator": "Initial Population"
            define "Numerator": exists [Observation: "Pap"] O where O.effective during "Measurement Period"
            """;

    @Inject
    ClientRegistry registry;

    @BeforeEach
    void knowledge() {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource r : new Resource[] {library(), measure()}) {
            tx.addEntry().setResource(r).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart());
        }
        fhir().urlEncodingEnabled(false).body(FHIR.newJsonParser().encodeResourceToString(tx)).post("").then().statusCode(200);
    }

    @Test
    void dataRequirementsNameTheRetrievedTypesAndValueSets() {
        String body = fhir().urlEncodingEnabled(false)
                .get("/Measure/deqm-screening/$data-requirements?periodStart=2024-01-01&periodEnd=2024-12-31")
                .then().statusCode(200).body("resourceType", equalTo("Library")).extract().asString();
        Library library = FHIR.newJsonParser().parseResource(Library.class, body);
        assertThat(library.getType().getCodingFirstRep().getCode()).isEqualTo("module-definition");
        Set<String> types = library.getDataRequirement().stream().map(DataRequirement::getType).collect(Collectors.toSet());
        assertThat(types).contains("Encounter", "Observation").doesNotContain("Procedure");
        assertThat(library.getDataRequirement().stream().filter(d -> d.getType().equals("Observation"))
                .flatMap(d -> d.getCodeFilter().stream()).map(DataRequirement.DataRequirementCodeFilterComponent::getValueSet))
                .contains(VS);
        assertThat(library.getParameter().stream().map(p -> p.getName())).contains("Measurement Period");
    }

    @Test
    void dataRequirementsOfAnUnknownMeasureIs404() {
        fhir().urlEncodingEnabled(false).get("/Measure/no-such-measure/$data-requirements").then().statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void submitDataStoresTheReportAndItsResources() {
        String id = "deqm-" + UUID.randomUUID().toString().substring(0, 8);
        Parameters p = new Parameters();
        p.addParameter().setName("measureReport").setResource(report(id));
        Observation o = new Observation();
        o.setId(id + "-obs");
        o.setStatus(Observation.ObservationStatus.FINAL).setCode(new CodeableConcept(new Coding("http://loinc.org", "10524-7", null)))
                .setEffective(new DateTimeType("2024-05-01T10:00:00Z"));
        p.addParameter().setName("resource").setResource(o);
        fhir().urlEncodingEnabled(false).body(FHIR.newJsonParser().encodeResourceToString(p)).post("/Measure/deqm-screening/$submit-data")
                .then().statusCode(200).body("type", equalTo("transaction-response"))
                .body("entry.size()", equalTo(2));
        fhir().get("/MeasureReport/" + id).then().statusCode(200)
                .body("measure", equalTo("http://example.org/fhir/Measure/deqm-screening"));
        fhir().get("/Observation/" + id + "-obs").then().statusCode(200);
    }

    @Test
    void submitDataNeedsAReportAndRefusesOtherParameters() {
        Parameters none = new Parameters();
        none.addParameter().setName("resource").setResource(new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept().setText("x")));
        fhir().urlEncodingEnabled(false).body(FHIR.newJsonParser().encodeResourceToString(none)).post("/Measure/$submit-data")
                .then().statusCode(400).body("issue[0].diagnostics", containsString("measureReport"));
        Parameters odd = new Parameters();
        odd.addParameter().setName("measureReport").setResource(report("deqm-odd"));
        odd.addParameter().setName("patient").setValue(new org.hl7.fhir.r4.model.StringType("x"));
        fhir().urlEncodingEnabled(false).body(FHIR.newJsonParser().encodeResourceToString(odd)).post("/Measure/$submit-data")
                .then().statusCode(400);
    }

    @Test
    void scopesApply() {
        String measureOnly = clientWith("system/Measure.rs");
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", measureOnly)
                .get("/fhir/Measure/deqm-screening/$data-requirements").then().statusCode(403);
        String knowledgeReader = clientWith("system/Measure.rs system/Library.rs");
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", knowledgeReader)
                .get("/fhir/Measure/deqm-screening/$data-requirements").then().statusCode(200);
        Parameters p = new Parameters();
        p.addParameter().setName("measureReport").setResource(report("deqm-denied"));
        RestAssured.given().urlEncodingEnabled(false).contentType(JSON).accept(JSON).header("Authorization", knowledgeReader)
                .body(FHIR.newJsonParser().encodeResourceToString(p)).post("/fhir/Measure/$submit-data")
                .then().statusCode(403);
        fhir().get("/MeasureReport/deqm-denied").then().statusCode(404);
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).get("/fhir/Measure/deqm-screening/$data-requirements").then().statusCode(401);
    }

    private String clientWith(String scope) {
        return org.concilium.testing.ScopedClients.authorization(registry, scope);
    }

    private static MeasureReport report(String id) {
        MeasureReport r = new MeasureReport();
        r.setId(id);
        r.setStatus(MeasureReport.MeasureReportStatus.COMPLETE).setType(MeasureReport.MeasureReportType.DATACOLLECTION);
        r.setMeasure("http://example.org/fhir/Measure/deqm-screening").setSubject(new Reference("Patient/deqm-p"));
        r.setPeriod(new Period().setStartElement(new DateTimeType("2024-01-01")).setEndElement(new DateTimeType("2024-12-31")));
        return r;
    }

    static Library library() {
        return CqlMeasureFixture.library("deqm-screening", "DeqmScreening", CQL);
    }

    static Measure measure() {
        return CqlMeasureFixture.withIds(CqlMeasureFixture.proportion("deqm-screening", "DeqmScreening",
                "http://example.org/fhir/Library/DeqmScreening"));
    }
}
