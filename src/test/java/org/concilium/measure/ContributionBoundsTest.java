package org.concilium.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.concilium.layout.DpSensitivity;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Under differential privacy every subject is clipped to the Measure's declared bounds before
 * anything is summed (the real engine over in-memory data): a patient with more resources than the
 * bound contributes the bound, an observation beyond it counts as the bound, and populations stay
 * nested per subject. Without bounds the report is exact.
 */
class ContributionBoundsTest {

    private static final MeasureEvaluator ENGINE = new MeasureEvaluator(MeasureEvaluator.Options.defaults());
    private static final EvaluateMeasureCommand COMMAND = EvaluateMeasureCommand.of("x", "2024-01-01", "2024-12-31",
            "population", null, null, null);

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    /** p1: five encounters (e1, e2 finished; e3–e5 cancelled), p2: one cancelled, p3: none. */
    private static ClinicalData encounters() {
        List<Resource> all = new ArrayList<>();
        all.add(patient("p1"));
        all.add(patient("p2"));
        all.add(patient("p3"));
        for (int i = 1; i <= 5; i++) {
            all.add(encounter("e" + i, "p1", i <= 2 ? Encounter.EncounterStatus.FINISHED
                    : Encounter.EncounterStatus.CANCELLED));
        }
        all.add(encounter("f1", "p2", Encounter.EncounterStatus.CANCELLED));
        return InMemoryClinicalData.builder().addAll(all).build();
    }

    @Test
    void aPatientWithMoreResourcesThanTheBoundContributesOnlyTheBound() {
        Measure m = encounterProportion(2);
        ClinicalData data = encounters();
        MeasureReport exact = ENGINE.evaluate(m, COMMAND, data, ContributionBounds.NONE);
        assertThat(counts(exact)).containsExactly(6, 6, 4);

        MeasureReport clipped = ENGINE.evaluate(m, COMMAND, data, DpSensitivity.bounds(MeasureModel.of(m)));
        // p1 keeps e1, e2 (first in key order; both finished, so none of its cancelled ones), p2 keeps f1
        assertThat(counts(clipped)).containsExactly(3, 3, 1);
    }

    @Test
    void aBoundOfOneCountsPatientsWithAnyResource() {
        Measure m = encounterProportion(1);
        assertThat(counts(ENGINE.evaluate(m, COMMAND, encounters(), DpSensitivity.bounds(MeasureModel.of(m))))).containsExactly(2, 2, 1);
    }

    @Test
    void observationsBeyondTheBoundCountAsTheBound() {
        List<Resource> all = new ArrayList<>();
        double[] values = {9.5, 5.0, -30.0};
        for (int i = 0; i < values.length; i++) {
            all.add(patient("q" + i));
            Observation o = new Observation();
            o.setId("o" + i);
            o.setStatus(Observation.ObservationStatus.FINAL);
            o.setSubject(new Reference("Patient/q" + i));
            o.setEffective(new DateTimeType("2024-06-01"));
            o.setValue(new Quantity(values[i]).setUnit("%"));
            all.add(o);
        }
        ClinicalData data = InMemoryClinicalData.builder().addAll(all).build();
        Measure m = observationSum(6);
        MeasureReport exact = ENGINE.evaluate(m, COMMAND, data, ContributionBounds.NONE);
        assertThat(exact.getGroupFirstRep().getMeasureScore().getValue().doubleValue()).isEqualTo(-15.5);
        MeasureReport clipped = ENGINE.evaluate(m, COMMAND, data, DpSensitivity.bounds(MeasureModel.of(m)));
        assertThat(clipped.getGroupFirstRep().getMeasureScore().getValue().doubleValue()).isEqualTo(6 + 5 - 6);
        assertThat(counts(clipped)).isEqualTo(counts(exact)); // clamping keeps every subject
    }

    @Test
    void noDeclaredBoundsMeansNoClippingOfResources() {
        Measure m = encounterProportion(2);
        m.getGroupFirstRep().getExtension().removeIf(e -> e.getUrl().equals(DpSensitivity.MAX_RESOURCES));
        assertThat(DpSensitivity.bounds(MeasureModel.of(m)).groups().get(0).maxResources()).isZero();
        assertThat(counts(ENGINE.evaluate(m, COMMAND, encounters(), DpSensitivity.bounds(MeasureModel.of(m))))).containsExactly(6, 6, 4);
    }

    private static List<Integer> counts(MeasureReport r) {
        return r.getGroupFirstRep().getPopulation().stream()
                .filter(p -> !p.getCode().getCodingFirstRep().getCode().equals("measure-observation"))
                .map(MeasureReport.MeasureReportGroupPopulationComponent::getCount).toList();
    }

    private static Measure encounterProportion(int maxResources) {
        Measure m = measure("clip-encounters", "proportion");
        Measure.MeasureGroupComponent g = m.addGroup();
        g.setId("visits");
        g.addExtension(new Extension("http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-populationBasis",
                new CodeType("Encounter")));
        g.addExtension(new Extension(DpSensitivity.MAX_RESOURCES, new IntegerType(maxResources)));
        population(g, "initial-population", "%Encounter");
        population(g, "denominator", "%Encounter");
        population(g, "numerator", "%Encounter.where(status = 'cancelled')");
        return m;
    }

    private static Measure observationSum(double maxObservation) {
        Measure m = measure("clip-observations", "continuous-variable");
        Measure.MeasureGroupComponent g = m.addGroup();
        g.setId("values");
        g.addExtension(new Extension(DpSensitivity.MAX_OBSERVATION, new DecimalType(maxObservation)));
        population(g, "initial-population", "%Observation.exists()");
        population(g, "measure-population", "%Observation.exists()");
        population(g, "measure-observation", "%Observation.first().value.value")
                .addExtension(new Extension("http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-aggregateMethod",
                        new CodeType("sum")))
                .addExtension(new Extension("http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-criteriaReference",
                        new StringType("measure-population")));
        return m;
    }

    private static Measure measure(String id, String scoring) {
        Measure m = new Measure();
        m.setId(id);
        m.setUrl("http://concilium.org/fhir/Measure/" + id);
        m.setStatus(Enumerations.PublicationStatus.ACTIVE);
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", scoring, null)));
        return m;
    }

    private static Measure.MeasureGroupPopulationComponent population(Measure.MeasureGroupComponent g, String code,
            String fhirPath) {
        Measure.MeasureGroupPopulationComponent p = g.addPopulation();
        p.setId(code);
        p.setCode(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-population", code, null)));
        p.setCriteria(new Expression().setLanguage("text/fhirpath").setExpression(fhirPath));
        return p;
    }

    private static Patient patient(String id) {
        Patient p = new Patient();
        p.setId(id);
        p.setBirthDateElement(new DateType("1970-01-01"));
        return p;
    }

    private static Encounter encounter(String id, String patient, Encounter.EncounterStatus status) {
        Encounter e = new Encounter();
        e.setId(id);
        e.setStatus(status);
        e.setSubject(new Reference("Patient/" + patient));
        e.setPeriod(new Period().setStartElement(new DateTimeType("2024-03-01T10:00:00Z")));
        return e;
    }
}
