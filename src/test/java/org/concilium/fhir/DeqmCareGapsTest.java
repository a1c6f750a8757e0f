package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.concilium.measure.DeqmProfiles;
import org.concilium.security.ClientRegistry;
import org.concilium.testing.CqlMeasureFixture;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Measure/$care-gaps} and {@code Measure/$collect-data} over HTTP on generated patients
 * (cqf-fhir-cr's services over the store), the {@code evaluatedResource} of our own individual
 * reports, and every report type checked by the HL7 validator against its DEQM profile.
 */
@QuarkusTest
class DeqmCareGapsTest extends FhirTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String VS = "http://example.org/fhir/ValueSet/gaps-screening";
    private static final String GAPS_BUNDLE = "http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/gaps-bundle-deqm";
    private static final String GAPS = "?periodStart=2024-01-01&periodEnd=2024-12-31&measureId=deqm-gaps";

    static final String CQL = """
            library DeqmGaps version '1.0.0'
            using FHIR version '4.0.1'
            include FHIRHelpers version '4.0.1' called FHIRHelpers
            valueset "Screening": 'http://example.org/fhir/ValueSet/gaps-screening'
            parameter "Measurement Period" Interval<DateTime>
            context Patient
            define "Initial Population": exists [Encounter] E where E.period during "Measurement Period"
            define "Denominator": "Initial Population"
            define "Numerator": exists [Observation: "Screening"] O where O.effective during "Measurement Period"
            """;

    @Inject
    ClientRegistry registry;

    @BeforeEach
    void data() {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<Resource> all = new java.util.ArrayList<>(List.of(library(), measure(), valueSet()));
        // gap-open: a visit, no screening; gap-closed: a visit and a screening; gap-none: no visit
        all.addAll(patient("gap-open", true, false));
        all.addAll(patient("gap-closed", true, true));
        all.addAll(patient("gap-none", false, false));
        Group g = new Group();
        g.setId("gap-group");
        g.setType(Group.GroupType.PERSON).setActual(true);
        g.addMember().setEntity(new Reference("Patient/gap-open"));
        g.addMember().setEntity(new Reference("Patient/gap-closed"));
        all.add(g);
        // the site's own Organization, stored: QI-Core 5.0.0 wants an address (1..1), which the stand-in has not
        var site = new org.hl7.fhir.r4.model.Organization();
        site.setId("local");
        site.setActive(true).setName("Gaps test site").addAddress().setCity("Springfield").setState("IL").setCountry("US");
        all.add(site);
        for (Resource r : all) {
            tx.addEntry().setResource(r).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart());
        }
        fhir().urlEncodingEnabled(false).body(FHIR.newJsonParser().encodeResourceToString(tx)).post("").then().statusCode(200);
    }

    @Test
    void openAndClosedGapsForPatients() {
        Bundle open = onlyBundle(careGaps(GAPS + "&subject=Patient/gap-open&status=open-gap&status=closed-gap"));
        assertThat(open.getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
        assertThat(gapStatuses(open)).containsExactly("open-gap");
        MeasureReport openReport = report(open);
        assertThat(count(openReport, "denominator")).isEqualTo(1);
        assertThat(count(openReport, "numerator")).isZero();
        assertThat(openReport.getMeta().hasProfile(DeqmProfiles.INDIVIDUAL)).isTrue();
        assertThat(openReport.getReporter().getReference()).isEqualTo("Organization/local");

        Bundle closed = onlyBundle(careGaps(GAPS + "&subject=Patient/gap-closed&status=open-gap&status=closed-gap"));
        assertThat(gapStatuses(closed)).containsExactly("closed-gap");
        assertThat(count(report(closed), "numerator")).isEqualTo(1);
        // the screening that closed the gap travels with the report
        assertThat(closed.getEntry().stream().map(e -> e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()))
                .contains("Observation/gap-closed-screening", "Encounter/gap-closed-visit", "Patient/gap-closed")
                .containsOnlyOnce("Organization/local");

        // asking only for closed gaps leaves the open one out, and a patient with no visit has no gap at all
        assertThat(careGaps(GAPS + "&subject=Patient/gap-open&status=closed-gap").getParameter()).isEmpty();
        assertThat(careGaps(GAPS + "&subject=Patient/gap-none&status=open-gap&status=closed-gap").getParameter()).isEmpty();
    }

    @Test
    void groupSubjectGivesABundlePerMember() {
        Parameters p = careGaps(GAPS + "&subject=Group/gap-group&status=open-gap&status=closed-gap");
        Map<String, List<String>> bySubject = p.getParameter().stream().collect(Collectors.toMap(
                x -> ((Bundle) x.getResource()).getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                        .filter(DetectedIssue.class::isInstance).map(d -> ((DetectedIssue) d).getPatient().getReference())
                        .findFirst().orElseThrow(),
                x -> gapStatuses((Bundle) x.getResource())));
        assertThat(bySubject).containsOnly(Map.entry("Patient/gap-open", List.of("open-gap")),
                Map.entry("Patient/gap-closed", List.of("closed-gap")));
    }

    @Test
    void careGapsByMeasureUrlAsPost() {
        Parameters in = new Parameters();
        in.addParameter("periodStart", new DateTimeType("2024-01-01T00:00:00Z"));
        in.addParameter("periodEnd", new DateTimeType("2024-12-31T23:59:59Z"));
        in.addParameter("subject", "Patient/gap-open");
        in.addParameter("status", "open-gap");
        in.addParameter().setName("measureUrl").setValue(new org.hl7.fhir.r4.model.CanonicalType("http://example.org/fhir/Measure/deqm-gaps"));
        String body = fhir().urlEncodingEnabled(false).body(FHIR.newJsonParser().encodeResourceToString(in))
                .post("/Measure/$care-gaps").then().statusCode(200).extract().asString();
        assertThat(gapStatuses(onlyBundle(FHIR.newJsonParser().parseResource(Parameters.class, body)))).containsExactly("open-gap");
    }

    @Test
    void badParametersAre4xxOperationOutcomes() {
        String base = "/Measure/$care-gaps?periodStart=2024-01-01&periodEnd=2024-12-31";
        Map<String, Integer> cases = Map.ofEntries(
                Map.entry(base + "&subject=Patient/gap-open&measureId=deqm-gaps", 400),                   // no status
                Map.entry(base + "&subject=Patient/gap-open&measureId=deqm-gaps&status=wide-gap", 400),   // unknown status
                Map.entry(base + "&subject=Patient/gap-open&status=open-gap", 400),                       // no measure
                Map.entry(base + "&measureId=deqm-gaps&status=open-gap", 400),                            // no subject
                Map.entry(base + "&subject=Practitioner/x&measureId=deqm-gaps&status=open-gap", 400),     // subject type
                Map.entry("/Measure/$care-gaps?periodStart=2024-13-01&periodEnd=2024-12-31&subject=Patient/gap-open"
                        + "&measureId=deqm-gaps&status=open-gap", 400),                                  // bad date
                Map.entry("/Measure/$care-gaps?periodEnd=2024-12-31&subject=Patient/gap-open&measureId=deqm-gaps"
                        + "&status=open-gap", 400),                                                      // no start
                Map.entry(base + "&subject=Patient/gap-open&measureId=deqm-gaps&status=open-gap&colour=red", 400),
                Map.entry(base + "&subject=Patient/gap-open&subject=Patient/gap-closed&measureId=deqm-gaps&status=open-gap", 400),
                Map.entry(base + "&subject=Patient/nobody&measureId=deqm-gaps&status=open-gap", 404),
                Map.entry(base + "&subject=Patient/gap-open&measureId=no-such-measure&status=open-gap", 404),
                Map.entry("/Measure/deqm-gaps/$collect-data?periodStart=2024-01-01&periodEnd=2024-12-31", 400),
                Map.entry("/Measure/$collect-data?periodStart=2024-01-01&periodEnd=2024-12-31&subject=Patient/gap-open", 400),
                Map.entry("/Measure/no-such-measure/$collect-data?periodStart=2024-01-01&periodEnd=2024-12-31"
                        + "&subject=Patient/gap-open", 404));
        cases.forEach((url, status) -> {
            String body = fhir().urlEncodingEnabled(false).get(url).then().statusCode(status)
                    .body("resourceType", equalTo("OperationOutcome")).extract().asString();
            assertThat(body).as(url).doesNotContain("Exception").doesNotContain("at org.");
        });
    }

    @Test
    void collectDataGivesADataExchangeReportAndItsResources() {
        Parameters p = FHIR.newJsonParser().parseResource(Parameters.class, fhir().urlEncodingEnabled(false)
                .get("/Measure/deqm-gaps/$collect-data?periodStart=2024-01-01&periodEnd=2024-12-31&subject=Patient/gap-closed")
                .then().statusCode(200).extract().asString());
        List<MeasureReport> reports = p.getParameter().stream().map(Parameters.ParametersParameterComponent::getResource)
                .filter(MeasureReport.class::isInstance).map(MeasureReport.class::cast).toList();
        assertThat(reports).hasSize(1);
        MeasureReport report = reports.get(0);
        assertThat(report.getType()).isEqualTo(MeasureReport.MeasureReportType.DATACOLLECTION);
        assertThat(report.getSubject().getReference()).isEqualTo("Patient/gap-closed");
        assertThat(report.getMeta().hasProfile(DeqmProfiles.DATA_EXCHANGE)).isTrue();
        List<String> evaluated = report.getEvaluatedResource().stream().map(Reference::getReference).toList();
        assertThat(evaluated).contains("Encounter/gap-closed-visit", "Observation/gap-closed-screening");
        List<String> carried = p.getParameter().stream().map(Parameters.ParametersParameterComponent::getResource)
                .filter(r -> !(r instanceof MeasureReport)).map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart()).toList();
        assertThat(carried).containsAll(evaluated.stream().filter(r -> !r.startsWith("Patient/")).toList());
        assertNoErrors(validate(report, DeqmProfiles.DATA_EXCHANGE));

        // the type-level form names the Measure by canonical
        fhir().urlEncodingEnabled(false).get("/Measure/$collect-data?measure=http://example.org/fhir/Measure/deqm-gaps"
                        + "&periodStart=2024-01-01&periodEnd=2024-12-31&subject=Group/gap-group")
                .then().statusCode(200).body("parameter.findAll { it.resource?.resourceType == 'MeasureReport' }.size()", equalTo(2));
    }

    @Test
    void ourIndividualReportListsResolvableEvaluatedResources() {
        MeasureReport report = evaluate("subject=Patient/gap-closed");
        List<String> refs = report.getEvaluatedResource().stream().map(Reference::getReference).toList();
        assertThat(refs).contains("Encounter/gap-closed-visit", "Observation/gap-closed-screening");
        for (String ref : refs) {
            fhir().get("/" + ref).then().statusCode(200);
        }
        assertThat(report.getMeta().hasProfile(DeqmProfiles.INDIVIDUAL)).isTrue();
        // a patient without the screening: only the visit decided the populations
        List<String> open = evaluate("subject=Patient/gap-open").getEvaluatedResource().stream().map(Reference::getReference).toList();
        assertThat(open).contains("Encounter/gap-open-visit").noneMatch(r -> r.startsWith("Observation/gap-closed"));
        // population reports list none
        assertThat(evaluate("reportType=population").hasEvaluatedResource()).isFalse();
    }

    @Test
    void eachReportTypePassesItsDeqmProfile() {
        MeasureReport individual = evaluate("subject=Patient/gap-closed");
        MeasureReport summary = evaluate("reportType=population");
        MeasureReport subjectList = evaluate("reportType=subject-list");
        assertThat(summary.getMeta().hasProfile(DeqmProfiles.SUMMARY)).isTrue();
        assertThat(subjectList.getMeta().hasProfile(DeqmProfiles.SUBJECT_LIST)).isTrue();
        assertNoErrors(validate(individual, DeqmProfiles.INDIVIDUAL));
        assertNoErrors(validate(summary, DeqmProfiles.SUMMARY));
        assertNoErrors(validate(subjectList, DeqmProfiles.SUBJECT_LIST));
        // the profiles do bite: an individual report is not a summary one (subject 0..0, type fixed)
        assertThat(errors(validate(individual, DeqmProfiles.SUMMARY))).isNotEmpty();
    }

    @Test
    void everyGapsBundlePassesGapsBundleDeqm() {
        List<Bundle> bundles = new java.util.ArrayList<>();
        bundles.add(onlyBundle(careGaps(GAPS + "&subject=Patient/gap-open&status=open-gap")));
        bundles.add(onlyBundle(careGaps(GAPS + "&subject=Patient/gap-closed&status=closed-gap")));
        careGaps(GAPS + "&subject=Group/gap-group&status=open-gap&status=closed-gap").getParameter()
                .forEach(p -> bundles.add((Bundle) p.getResource()));
        assertThat(bundles).hasSize(4);
        for (Bundle b : bundles) {
            assertThat(gapStatuses(b)).hasSize(1);
            // over the site API: Bundle/$validate with the profile, no error of any kind tolerated
            assertThat(errors(validate(b, GAPS_BUNDLE))).as(gapStatuses(b) + " " + b.getIdElement().getIdPart()).isEmpty();
        }
    }

    @Test
    void scopesApply() {
        String url = "/fhir/Measure/$care-gaps" + GAPS + "&subject=Patient/gap-closed&status=closed-gap";
        String knowledgeOnly = clientWith("system/Measure.rs system/Library.rs");
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", knowledgeOnly).get(url)
                .then().statusCode(403).body("resourceType", equalTo("OperationOutcome"));
        // the answer carries the patient's Encounter and Observation: reading Patients is not enough
        String noClinical = clientWith("system/Measure.rs system/Library.rs system/Patient.rs");
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", noClinical).get(url)
                .then().statusCode(403).body("issue[0].diagnostics", containsString("Encounter"));
        String clinical = clientWith("system/Measure.rs system/Library.rs system/Patient.rs system/Encounter.rs system/Observation.rs");
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", clinical).get(url).then().statusCode(200);
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", clinical)
                .get("/fhir/Measure/$care-gaps" + GAPS + "&subject=Group/gap-group&status=closed-gap").then().statusCode(403);
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", noClinical)
                .get("/fhir/Measure/deqm-gaps/$collect-data?periodStart=2024-01-01&periodEnd=2024-12-31&subject=Patient/gap-closed")
                .then().statusCode(403);
        anonymous().urlEncodingEnabled(false).get("/Measure/$care-gaps" + GAPS + "&subject=Patient/gap-closed&status=closed-gap")
                .then().statusCode(401);
    }

    /**
     * A client that may read Patients and Encounters but not Observations: gap-open has no
     * Observation, gap-closed has one. When the 403 was decided from the answer's types, gap-open
     * got 200 and gap-closed 403, telling the client which patient had an Observation. The refusal
     * now comes from the measure's data requirements: the same 403 for both, naming Observation.
     */
    @Test
    void theRefusalDoesNotDependOnThePatientsRecord() {
        String noObservations = clientWith("system/Measure.rs system/Library.rs system/Patient.rs system/Encounter.rs");
        for (String patient : List.of("gap-open", "gap-closed", "gap-none")) {
            RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", noObservations)
                    .get("/fhir/Measure/$care-gaps" + GAPS + "&subject=Patient/" + patient + "&status=open-gap&status=closed-gap")
                    .then().statusCode(403).body("issue[0].diagnostics", containsString("Observation"));
            RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", noObservations)
                    .get("/fhir/Measure/deqm-gaps/$collect-data?periodStart=2024-01-01&periodEnd=2024-12-31&subject=Patient/" + patient)
                    .then().statusCode(403).body("issue[0].diagnostics", containsString("Observation"));
            RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", noObservations)
                    .get("/fhir/Measure/$collect-data?measure=http://example.org/fhir/Measure/deqm-gaps"
                            + "&periodStart=2024-01-01&periodEnd=2024-12-31&subject=Patient/" + patient)
                    .then().statusCode(403).body("issue[0].diagnostics", containsString("Observation"));
        }
        // a measure named only by identifier cannot be resolved before evaluating: every type of a record is needed
        String clinical = clientWith("system/Measure.rs system/Library.rs system/Patient.rs system/Encounter.rs system/Observation.rs");
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", clinical)
                .get("/fhir/Measure/$care-gaps?periodStart=2024-01-01&periodEnd=2024-12-31&measureIdentifier=x"
                        + "&subject=Patient/gap-open&status=open-gap")
                .then().statusCode(403);
        RestAssured.given().urlEncodingEnabled(false).accept(JSON).header("Authorization", clinical)
                .get("/fhir/Measure/deqm-gaps/$collect-data?periodStart=2024-01-01&periodEnd=2024-12-31&subject=Patient/gap-open")
                .then().statusCode(200);
    }

    // --- helpers ---

    private static Parameters careGaps(String query) {
        String body = fhir().urlEncodingEnabled(false).get("/Measure/$care-gaps" + query).then().statusCode(200)
                .body("resourceType", equalTo("Parameters")).extract().asString();
        return FHIR.newJsonParser().parseResource(Parameters.class, body);
    }

    private static MeasureReport evaluate(String query) {
        String body = fhir().urlEncodingEnabled(false)
                .get("/Measure/deqm-gaps/$evaluate-measure?periodStart=2024-01-01&periodEnd=2024-12-31&" + query)
                .then().statusCode(200).extract().asString();
        return FHIR.newJsonParser().parseResource(MeasureReport.class, body);
    }

    private static OperationOutcome validate(Resource resource, String profile) {
        Parameters in = new Parameters();
        in.addParameter().setName("resource").setResource(resource);
        in.addParameter("profile", new org.hl7.fhir.r4.model.CanonicalType(profile));
        String body = fhir().urlEncodingEnabled(false).body(FHIR.newJsonParser().encodeResourceToString(in))
                .post("/" + resource.fhirType() + "/$validate").then().statusCode(200).extract().asString();
        return FHIR.newJsonParser().parseResource(OperationOutcome.class, body);
    }

    private static List<String> errors(OperationOutcome outcome) {
        return outcome.getIssue().stream()
                .filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL)
                .map(i -> i.getExpression() + ": " + i.getDiagnostics()).toList();
    }

    private static void assertNoErrors(OperationOutcome outcome) {
        assertThat(errors(outcome)).isEmpty();
    }

    private static Bundle onlyBundle(Parameters p) {
        assertThat(p.getParameter()).hasSize(1);
        return (Bundle) p.getParameterFirstRep().getResource();
    }

    private static List<String> gapStatuses(Bundle b) {
        return b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(DetectedIssue.class::isInstance)
                .map(d -> ((DetectedIssue) d).getModifierExtension().get(0).getValue())
                .map(v -> ((CodeableConcept) v).getCodingFirstRep().getCode()).toList();
    }

    private static MeasureReport report(Bundle b) {
        return b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(MeasureReport.class::isInstance)
                .map(MeasureReport.class::cast).findFirst().orElseThrow();
    }

    private static int count(MeasureReport r, String population) {
        return r.getGroupFirstRep().getPopulation().stream()
                .filter(p -> p.getCode().getCodingFirstRep().getCode().equals(population)).findFirst().orElseThrow().getCount();
    }

    private String clientWith(String scope) {
        return org.concilium.testing.ScopedClients.authorization(registry, scope);
    }

    static List<Resource> patient(String id, boolean visit, boolean screened) {
        Patient p = new Patient();
        p.setId(id);
        p.addName().setFamily("Gaps").addGiven(id);
        p.addIdentifier().setSystem("http://example.org/fhir/mrn").setValue(id); // US Core / QI-Core: 1..*
        p.setGender(Enumerations.AdministrativeGender.FEMALE).setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1970-05-01"));
        List<Resource> out = new java.util.ArrayList<>(List.of(p));
        if (visit) {
            Encounter e = new Encounter();
            e.setId(id + "-visit");
            e.setStatus(Encounter.EncounterStatus.FINISHED).setSubject(new Reference("Patient/" + id))
                    .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"))
                    .setPeriod(new Period().setStartElement(new DateTimeType("2024-03-01T09:00:00Z"))
                            .setEndElement(new DateTimeType("2024-03-01T10:00:00Z")));
            out.add(e);
        }
        if (screened) {
            Observation o = new Observation();
            o.setId(id + "-screening");
            o.setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference("Patient/" + id))
                    .setCode(new CodeableConcept(new Coding("http://loinc.org", "10524-7", "Cytology report")))
                    .setEffective(new DateTimeType("2024-05-01T10:00:00Z"));
            out.add(o);
        }
        return out;
    }

    static ValueSet valueSet() {
        ValueSet vs = new ValueSet();
        vs.setId("gaps-screening");
        vs.setUrl(VS).setName("GapsScreening").setStatus(PublicationStatus.ACTIVE);
        vs.getCompose().addInclude().setSystem("http://loinc.org").addConcept().setCode("10524-7");
        vs.getExpansion().setTimestamp(new java.util.Date()).addContains().setSystem("http://loinc.org").setCode("10524-7");
        return vs;
    }

    static Library library() {
        return CqlMeasureFixture.library("deqm-gaps", "DeqmGaps", CQL);
    }

    static Measure measure() {
        Measure m = CqlMeasureFixture.withIds(CqlMeasureFixture.proportion("deqm-gaps", "DeqmGaps", "Library/deqm-gaps"));
        m.setImprovementNotation(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/measure-improvement-notation", "increase", null)));
        return m;
    }
}
