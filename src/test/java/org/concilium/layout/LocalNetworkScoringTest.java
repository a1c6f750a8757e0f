package org.concilium.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.concilium.measure.ContributionBounds;
import org.concilium.measure.EvaluateMeasureCommand;
import org.concilium.measure.InMemoryClinicalData;
import org.concilium.measure.MeasureEvaluator;
import org.concilium.measure.MeasureModel;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Local and network reports score through the one implementation ({@code MeasureScore.of}): the real
 * engine evaluates three sites' data one by one, their summaries are encoded, summed and decoded
 * (the network path without the encryption), and the result must equal the engine's own report of
 * the union of the data, scores included, for a proportion with every kind of exclusion under
 * improvementNotation decrease and increase, and for a ratio.
 */
class LocalNetworkScoringTest {

    private static final MeasureEvaluator ENGINE = new MeasureEvaluator(MeasureEvaluator.Options.defaults());
    private static final String POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population";

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    @Test
    void aDecreaseProportionWithExclusionsScoresAlikeLocallyAndOverTheNetwork() {
        Measure m = proportion("decrease");
        MeasureReport network = network(m);
        MeasureReport local = local(m, all());
        ReportComparison.assertSameResults(MeasureLayout.of(MeasureModel.of(m)), local, network);

        // and the score is the decrease convention's, 1 − (NUM − NUMEX) / (DEN − DENEX − DENEXCEP), on both sides
        double raw = raw(local.getGroupFirstRep());
        assertThat(raw).isBetween(0.01, 0.99);
        assertThat(network.getGroupFirstRep().getMeasureScore().getValue().doubleValue()).isEqualTo(1 - raw);
        assertThat(local.getGroupFirstRep().getMeasureScore().getValue().doubleValue()).isEqualTo(1 - raw);
        for (var stratum : network.getGroupFirstRep().getStratifierFirstRep().getStratum()) {
            if (stratum.hasMeasureScore()) {
                assertThat(stratum.getMeasureScore().getValue().doubleValue()).isEqualTo(1 - rawOf(stratum.getPopulation()));
            }
        }
    }

    @Test
    void anIncreaseProportionIsNotInverted() {
        Measure m = proportion("increase");
        MeasureReport network = network(m);
        ReportComparison.assertSameResults(MeasureLayout.of(MeasureModel.of(m)), local(m, all()), network);
        assertThat(network.getGroupFirstRep().getMeasureScore().getValue().doubleValue())
                .isEqualTo(raw(network.getGroupFirstRep()));
    }

    @Test
    void aRatioScoresAlike() {
        Measure m = measure("agree-ratio", "ratio", null);
        Measure.MeasureGroupComponent g = m.addGroup();
        g.setId("ratio");
        population(g, "initial-population", "Patient.exists()");
        population(g, "denominator", "Patient.exists()");
        population(g, "denominator-exclusion", "Patient.birthDate < @1950-01-01");
        population(g, "numerator", "%Observation.exists()");
        population(g, "numerator-exclusion", "%Observation.where(value.value > 20).exists()");
        MeasureReport network = network(m);
        ReportComparison.assertSameResults(MeasureLayout.of(MeasureModel.of(m)), local(m, all()), network);
        assertThat(network.getGroupFirstRep().hasMeasureScore()).isTrue();
    }

    /** A proportion with denominator exclusions and exceptions and numerator exclusions, stratified by gender. */
    private static Measure proportion(String improvement) {
        Measure m = measure("agree-" + improvement, "proportion", improvement);
        Measure.MeasureGroupComponent g = m.addGroup();
        g.setId("control");
        population(g, "initial-population", "Patient.exists()");
        population(g, "denominator", "Patient.exists()");
        population(g, "denominator-exclusion", "Patient.birthDate < @1950-01-01");
        population(g, "denominator-exception", "%Observation.where(status = 'cancelled').exists()");
        population(g, "numerator", "%Observation.where(status = 'final' and value.value > 9).exists()");
        population(g, "numerator-exclusion", "%Observation.where(value.value > 20).exists()");
        TestMeasures.id(g.addStratifier(), "gender").setCriteria(new Expression().setLanguage("text/fhirpath").setExpression("Patient.gender"));
        return m;
    }

    /** Every site's summary encoded, the vectors summed, the sum decoded: what the network releases. */
    private static MeasureReport network(Measure m) {
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(m));
        List<long[]> vectors = new ArrayList<>();
        for (int site = 0; site < 3; site++) {
            vectors.add(layout.encode(local(m, site(site))));
        }
        return layout.decode(layout.sum(vectors));
    }

    private static MeasureReport local(Measure m, List<Resource> data) {
        EvaluateMeasureCommand command = EvaluateMeasureCommand.of(m.getUrl(), "2024-01-01", "2024-12-31", "population",
                null, null, null);
        return ENGINE.evaluate(m, command, InMemoryClinicalData.builder().addAll(data).build(), ContributionBounds.NONE);
    }

    private static List<Resource> all() {
        List<Resource> out = new ArrayList<>();
        for (int site = 0; site < 3; site++) {
            out.addAll(site(site));
        }
        return out;
    }

    /** 30 + 7 × site patients with a spread of birth dates, genders and observations. */
    private static List<Resource> site(int site) {
        List<Resource> out = new ArrayList<>();
        String[] genders = {"female", "male", "other", "unknown"};
        for (int i = 0; i < 30 + 7 * site; i++) {
            String id = "s" + site + "p" + i;
            Patient p = new Patient();
            p.setId(id);
            p.setGender(Enumerations.AdministrativeGender.fromCode(genders[(i * 7 + site) % 4]));
            p.setBirthDateElement(new DateType((1930 + (i * 13 + site * 5) % 70) + "-05-01"));
            out.add(p);
            if ((i + site) % 5 != 0) {
                Observation o = new Observation();
                o.setId(id + "o");
                o.setStatus((i + site) % 9 == 0 ? Observation.ObservationStatus.CANCELLED : Observation.ObservationStatus.FINAL);
                o.setSubject(new Reference("Patient/" + id));
                o.setEffective(new DateTimeType("2024-06-01"));
                o.setValue(new Quantity((i * 3 + site) % 25));
                out.add(o);
            }
        }
        return out;
    }

    private static double raw(MeasureReport.MeasureReportGroupComponent g) {
        List<MeasureReport.StratifierGroupPopulationComponent> pops = new ArrayList<>();
        for (var p : g.getPopulation()) {
            pops.add(new MeasureReport.StratifierGroupPopulationComponent().setCode(p.getCode()).setCount(p.getCount()));
        }
        return rawOf(pops);
    }

    private static double rawOf(List<MeasureReport.StratifierGroupPopulationComponent> pops) {
        long num = count(pops, "numerator");
        long numex = count(pops, "numerator-exclusion");
        long den = count(pops, "denominator");
        long denex = count(pops, "denominator-exclusion");
        long denexcep = count(pops, "denominator-exception");
        return (num - numex) / (double) (den - denex - denexcep);
    }

    private static long count(List<MeasureReport.StratifierGroupPopulationComponent> pops, String code) {
        return pops.stream().filter(p -> code.equals(p.getCode().getCodingFirstRep().getCode()))
                .mapToLong(MeasureReport.StratifierGroupPopulationComponent::getCount).sum();
    }

    private static Measure measure(String id, String scoring, String improvement) {
        Measure m = new Measure();
        m.setId(id);
        m.setUrl("http://concilium.org/fhir/Measure/" + id);
        m.setVersion("1");
        m.setStatus(Enumerations.PublicationStatus.ACTIVE);
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", scoring, null)));
        if (improvement != null) {
            m.setImprovementNotation(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/measure-improvement-notation", improvement, null)));
        }
        return m;
    }

    private static void population(Measure.MeasureGroupComponent g, String code, String fhirPath) {
        TestMeasures.id(g.addPopulation(), code)
                .setCode(new CodeableConcept(new Coding(POPULATION, code, null)))
                .setCriteria(new Expression().setLanguage("text/fhirpath").setExpression(fhirPath));
    }
}
