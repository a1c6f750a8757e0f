package org.concilium.measure;

import static org.concilium.measure.MeasureScenario.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.concilium.measure.MeasureEvaluationException.Category;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Measure that cannot be evaluated as written is refused with a 422 naming the offending
 * element; a failing stratifier only loses that stratifier; unknown Measures are 404.
 */
class BrokenMeasureTest {

    private static final String CQL = """
            library Broken version '1.0.0'
            using FHIR version '4.0.1'
            include FHIRHelpers version '4.0.1' called FHIRHelpers
            parameter "Measurement Period" Interval<DateTime>
            context Patient
            define "In": exists [Encounter]
            define "Boom": singleton from ({1, 2})
            define "Sex": Patient.gender.value
            """;

    static InMemoryClinicalData.Builder base() {
        Library library = new Library();
        library.setId("Broken");
        library.setUrl("http://example.org/Library/Broken");
        library.setName("Broken");
        library.setVersion("1.0.0");
        library.addContent(new Attachment().setContentType("text/cql").setData(CQL.getBytes()));
        var builder = InMemoryClinicalData.builder().add(library);
        for (int i = 0; i < 4; i++) {
            Patient p = new Patient();
            p.setId("p" + i);
            p.setGender(i % 2 == 0 ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
            Encounter e = new Encounter();
            e.setId("e" + i);
            e.setStatus(Encounter.EncounterStatus.FINISHED);
            e.setSubject(new Reference("Patient/p" + i));
            builder.add(p).add(e);
        }
        return builder;
    }

    static Measure cohort(String id, String ipExpression) {
        Measure m = new Measure();
        m.setId(id);
        m.setUrl("http://example.org/Measure/" + id);
        m.addLibrary("http://example.org/Library/Broken");
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", "cohort", null)));
        var g = m.addGroup();
        g.setId("g1");
        var ip = g.addPopulation();
        ip.setId("ip");
        ip.setCode(new CodeableConcept(new Coding(MeasureReportBuilder.MEASURE_POPULATION_SYSTEM, "initial-population", null)));
        ip.setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression(ipExpression));
        return m;
    }

    private static MeasureEvaluationException refused(ClinicalData data, String measure) {
        return given(data).when().measure(measure).fails();
    }

    @Test
    void unknownMeasureIsNotFound() {
        var e = refused(base().build(), "http://example.org/Measure/nope");
        assertEquals(Category.NOT_FOUND, e.category());
        assertEquals(404, e.category().httpStatus());
    }

    @Test
    void unknownLibraryNamesMeasureLibrary() {
        Measure m = cohort("m", "In");
        m.getLibrary().clear();
        m.addLibrary("http://example.org/Library/Missing");
        var e = refused(base().add(m).build(), "m");
        assertEquals(Category.BROKEN_MEASURE, e.category());
        assertEquals(422, e.category().httpStatus());
        assertEquals("Measure.library[0]", e.location());
    }

    @Test
    void duplicatePopulationIds() {
        Measure m = cohort("m", "In");
        var g2 = m.addGroup();
        g2.setId("g2");
        var dup = g2.addPopulation();
        dup.setId("ip");
        dup.setCode(new CodeableConcept(new Coding(MeasureReportBuilder.MEASURE_POPULATION_SYSTEM, "initial-population", null)))
                .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression("In"));
        var e = refused(base().add(m).build(), "m");
        assertEquals(Category.BROKEN_MEASURE, e.category());
        assertEquals("Measure.group[1].population[0].id", e.location());
    }

    @Test
    void missingCriteriaExpression() {
        Measure m = cohort("m", "In");
        m.getGroupFirstRep().getPopulationFirstRep().getCriteria().setExpression(null);
        var e = refused(base().add(m).build(), "m");
        assertEquals("Measure.group[0].population[0].criteria.expression", e.location());
    }

    @Test
    void undefinedRequiredExpression() {
        var e = refused(base().add(cohort("m", "Nowhere")).build(), "m");
        assertEquals(Category.BROKEN_MEASURE, e.category());
        assertEquals("Measure.group[0].population[0].criteria", e.location());
    }

    @Test
    void criteriaThatThrowNameThePopulation() {
        var e = refused(base().add(cohort("m", "Boom")).build(), "m");
        assertEquals(Category.BROKEN_MEASURE, e.category());
        assertEquals("Measure.group[0].population[0].criteria", e.location());
        assertTrue(e.getMessage().contains("Boom"), e.getMessage());
    }

    @Test
    void cqlThatDoesNotCompile() {
        Library bad = new Library();
        bad.setId("Bad");
        bad.setUrl("http://example.org/Library/Bad");
        bad.setName("Bad");
        bad.setVersion("1.0.0");
        bad.addContent(new Attachment().setContentType("text/cql")
                .setData("library Bad version '1.0.0'\nusing FHIR version '4.0.1'\ncontext Patient\ndefine \"In\": exists [Nonsense]\n".getBytes()));
        Measure m = cohort("m", "In");
        m.getLibrary().clear();
        m.addLibrary("http://example.org/Library/Bad");
        var e = refused(base().add(bad).add(m).build(), "m");
        assertEquals(Category.BROKEN_MEASURE, e.category());
        assertEquals("Measure.library[0]", e.location());
    }

    @Test
    void failingStratifierKeepsTheRestOfTheReport() {
        Measure m = cohort("m", "In");
        var boom = m.getGroupFirstRep().addStratifier();
        boom.setId("boom");
        boom.setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression("Boom"));
        var sex = m.getGroupFirstRep().addStratifier();
        sex.setId("sex");
        sex.setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression("Sex"));
        var then = given(base().add(m).build()).when().measure("m").evaluate().then();
        then.firstGroup().hasCount("initial-population", 4)
                .stratifier(0).isFailedWithIssue().up()
                .stratifier(1).hasStratumCount(2).stratum("female").hasCount("initial-population", 2);
        assertTrue(then.report().getContained().stream().anyMatch(r -> r.fhirType().equals("OperationOutcome")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CohortBooleanExtraInvalidPopulation", "ProportionBooleanMissingReqdPopulation",
        "RatioBooleanMissingReqdPopulation", "ContinuousVariableBooleanMissingReqdPopulation",
        "ContinuousVariableBooleanProhibitedPopulations", "ProportionBooleanImprovementNotationMeasureInvalid",
        "CohortBooleanMissingReqdPopulation"})
    void invalidFixtureMeasuresAreUnprocessable(String measure) {
        var e = refused(SharedData.load("clinical-reasoning/measure-r4/MeasureTest"), measure);
        assertEquals(Category.BROKEN_MEASURE, e.category(), e.getMessage());
        assertTrue(e.location() != null && e.location().startsWith("Measure"), e.location());
    }

    @Test
    void missingValueSetIsUnprocessable() {
        InMemoryClinicalData ecqm = SharedData.load("ecqm-content-r4/input");
        ClinicalData withoutValueSets = new ClinicalData() {
            @Override
            public Stream<Resource> resources(String type) {
                return "ValueSet".equals(type) ? Stream.empty() : ecqm.resources(type);
            }

            @Override
            public Optional<Resource> read(String type, String id) {
                return "ValueSet".equals(type) ? Optional.empty() : ecqm.read(type, id);
            }
        };
        var e = given(withoutValueSets).when().measure("http://ecqi.healthit.gov/ecqms/Measure/ColorectalCancerScreeningsFHIR")
                .period("2019-01-01", "2019-12-31").subject("Patient/numer-EXM130").fails();
        assertEquals(Category.BROKEN_MEASURE, e.category());
        assertTrue(e.getMessage().contains("ValueSet"), e.getMessage());
    }
}
