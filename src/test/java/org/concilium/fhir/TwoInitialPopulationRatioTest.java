package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.Map;
import org.concilium.layout.MeasureLayout;
import org.concilium.measure.MeasureModel;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A ratio measure with two initial populations uses both (over HTTP, on a generated Measure): the
 * denominator is drawn from the initial population its cqfm-criteriaReference names (women) and the
 * numerator from the other (patients with an encounter), not from the denominator; the network's
 * layout keeps both initial populations and scores the decoded report alike.
 */
@QuarkusTest
class TwoInitialPopulationRatioTest extends FhirTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String OWN = "urn:concilium:test:two-ip";
    private static final String MEASURE_ID = "two-ip-ratio";
    private static final String TAGGED = "Patient.identifier.where(system = '" + OWN + "').exists()";
    private static final String REF = "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-criteriaReference";
    private static boolean loaded;

    @BeforeEach
    void load() {
        if (loaded) {
            return;
        }
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        // women: w1, w2 (encounter), w3; men: m1 (encounter), m2; other: o1 (encounter)
        patient(b, "w1", "female", true);
        patient(b, "w2", "female", false);
        patient(b, "w3", "female", true);
        patient(b, "m1", "male", true);
        patient(b, "m2", "male", false);
        patient(b, "o1", "other", true);
        fhir().body(FHIR.newJsonParser().encodeResourceToString(b)).post("").then().statusCode(200);
        fhir().body(FHIR.newJsonParser().encodeResourceToString(measure())).put("/Measure/" + MEASURE_ID)
                .then().statusCode(201);
        loaded = true;
    }

    @Test
    void theDenominatorAndTheNumeratorAreDrawnFromTheirOwnInitialPopulation() {
        MeasureReport report = evaluate();
        Map<String, Integer> counts = counts(report);
        assertThat(counts).containsEntry("ip-women", 3).containsEntry("ip-encounters", 4)
                .containsEntry("denominator", 3) // every tagged patient, within the women
                .containsEntry("numerator", 4); // every tagged patient, within those with an encounter (not within DEN)
        assertThat(report.getGroupFirstRep().getMeasureScore().getValue().doubleValue()).isEqualTo(4 / 3.0);

        // the network encodes both initial populations and scores the sum as the site does
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(measure()));
        MeasureReport decoded = layout.decode(layout.encode(report));
        assertThat(counts(decoded)).isEqualTo(counts);
        assertThat(decoded.getGroupFirstRep().getMeasureScore().getValue().doubleValue()).isEqualTo(4 / 3.0);
    }

    @Test
    void aNumeratorThatNamesNoInitialPopulationIsRefused() {
        Measure broken = measure();
        broken.setId("two-ip-broken");
        broken.setUrl("http://concilium.org/fhir/Measure/two-ip-broken");
        broken.getGroupFirstRep().getPopulation().stream().filter(p -> p.getId().equals("numerator"))
                .forEach(p -> p.getExtension().clear());
        fhir().body(FHIR.newJsonParser().encodeResourceToString(broken)).put("/Measure/two-ip-broken").then().statusCode(201);
        fhir().urlEncodingEnabled(false).get("/Measure/two-ip-broken/$evaluate-measure?periodStart=2024-01-01&periodEnd=2024-12-31")
                .then().statusCode(422).body("issue[0].diagnostics", containsString("must reference one of them"));
    }

    private static MeasureReport evaluate() {
        String json = fhir().urlEncodingEnabled(false)
                .get("/Measure/" + MEASURE_ID + "/$evaluate-measure?periodStart=2024-01-01&periodEnd=2024-12-31")
                .then().statusCode(200).extract().asString();
        return FHIR.newJsonParser().parseResource(MeasureReport.class, json);
    }

    /** Population counts by id (the two initial populations share a code). */
    private static Map<String, Integer> counts(MeasureReport r) {
        Map<String, Integer> out = new HashMap<>();
        r.getGroupFirstRep().getPopulation().forEach(p -> out.put(p.getId(), p.getCount()));
        return out;
    }

    private static Measure measure() {
        Measure m = new Measure();
        m.setId(MEASURE_ID);
        m.setUrl("http://concilium.org/fhir/Measure/" + MEASURE_ID);
        m.setVersion("1");
        m.setStatus(Enumerations.PublicationStatus.ACTIVE);
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", "ratio", null)));
        Measure.MeasureGroupComponent g = m.addGroup();
        g.setId("two-ip");
        population(g, "ip-women", "initial-population", TAGGED + " and Patient.gender = 'female'", null);
        population(g, "ip-encounters", "initial-population", TAGGED + " and %Encounter.exists()", null);
        population(g, "denominator", "denominator", TAGGED, "ip-women");
        population(g, "numerator", "numerator", TAGGED, "ip-encounters");
        return m;
    }

    private static void population(Measure.MeasureGroupComponent g, String id, String code, String fhirPath,
            String initialPopulation) {
        Measure.MeasureGroupPopulationComponent p = g.addPopulation();
        p.setId(id);
        p.setCode(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-population", code, null)));
        p.setCriteria(new Expression().setLanguage("text/fhirpath").setExpression(fhirPath));
        if (initialPopulation != null) {
            p.addExtension(REF, new StringType(initialPopulation));
        }
    }

    private static void patient(Bundle b, String id, String gender, boolean encounter) {
        Patient p = new Patient();
        p.setId("two-ip-" + id);
        p.addIdentifier().setSystem(OWN).setValue(id);
        p.setGender(Enumerations.AdministrativeGender.fromCode(gender));
        b.addEntry().setResource(p).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/two-ip-" + id);
        if (encounter) {
            Encounter e = new Encounter();
            e.setId("two-ip-e-" + id);
            e.setStatus(Encounter.EncounterStatus.FINISHED);
            e.setSubject(new Reference("Patient/two-ip-" + id));
            e.setPeriod(new Period().setStartElement(new DateTimeType("2024-03-01T10:00:00Z")));
            b.addEntry().setResource(e).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Encounter/two-ip-e-" + id);
        }
    }
}
