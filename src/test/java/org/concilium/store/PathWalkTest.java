package org.concilium.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.concilium.demo.SyntheticPopulation;
import org.concilium.testing.SharedData;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UsageContext;
import org.junit.jupiter.api.Test;

/**
 * The indexer that walks plain paths ({@link PathWalk}) gives exactly the rows, in the same order,
 * of the one that runs every expression on the FHIRPath engine — for every search parameter of
 * every stored type, over the Synthea set, the demo generator's population, the measure content of
 * ../shared/data and hand-made resources for the casts and choice types the data lacks.
 */
class PathWalkTest {

    @Test
    void walkedRowsAreTheEngineRowsForEveryParameter() throws IOException {
        // derived parameters too (StoredRows): their expressions are walked as well
        ResourceIndexer walked = new ResourceIndexer(FhirJson.context(), true, true);
        ResourceIndexer engine = new ResourceIndexer(FhirJson.context(), false, true);
        List<Resource> all = new ArrayList<>(handMade());
        all.addAll(SharedData.resources(SharedData.dir("synthea-100")));
        all.addAll(SharedData.resources(SharedData.dir("ecqm-content-r4")));
        all.addAll(SharedData.resources(SharedData.dir("clinical-reasoning")));
        SyntheticPopulation.generateBundles(11, 0, 120, 40).forEach(b -> b.getEntry().forEach(e ->
                all.add(e.getResource())));
        List<Resource> stored = all.stream().filter(r -> SearchParameterCatalog.supports(r.fhirType())).toList();
        assertThat(stored.size()).isGreaterThan(25_000);
        assertThat(stored.stream().map(Resource::fhirType).distinct().count()).isGreaterThan(15);
        long rows = 0;
        for (Resource r : stored) {
            IndexRows a = walked.index(r);
            IndexRows b = engine.index(r);
            String what = r.fhirType() + "/" + r.getIdPart();
            assertThat(a.strings).as(what).containsExactlyElementsOf(b.strings);
            assertThat(a.tokens).as(what).containsExactlyElementsOf(b.tokens);
            assertThat(a.references).as(what).containsExactlyElementsOf(b.references);
            assertThat(a.dates).as(what).containsExactlyElementsOf(b.dates);
            assertThat(a.numbers).as(what).containsExactlyElementsOf(b.numbers);
            assertThat(a.quantities).as(what).containsExactlyElementsOf(b.quantities);
            assertThat(a.uris).as(what).containsExactlyElementsOf(b.uris);
            assertThat(a.composites).as(what).containsExactlyElementsOf(b.composites);
            assertThat(a.subject()).as(what).isEqualTo(b.subject());
            rows += b.strings.size() + b.tokens.size() + b.references.size() + b.dates.size() + b.quantities.size()
                    + b.composites.size();
        }
        assertThat(rows).isGreaterThan(300_000);
    }

    @Test
    void mostCatalogBranchesAreWalkedAndTheRestStayWithTheEngine() {
        int walks = 0;
        int branches = 0;
        for (String type : SearchParameterCatalog.types()) {
            for (SearchParam p : SearchParameterCatalog.params(type)) {
                for (String branch : FhirPathUnion.branches(p.expression())) {
                    branches++;
                    walks += PathWalk.of(branch) != null ? 1 : 0;
                }
            }
        }
        assertThat(walks).isGreaterThan(branches * 8 / 10);
        assertThat(PathWalk.of("Observation.subject.where(resolve() is Patient)")).isNull();
        assertThat(PathWalk.of("Patient.telecom.where(system='phone')")).isNull();
        assertThat(PathWalk.of("Patient.deceased.exists() and Patient.deceased != false")).isNull();
        assertThat(PathWalk.of("(Observation.value as CodeableConcept).text")).isNull();
        assertThat(PathWalk.of("Observation")).isNull();
        Observation o = new Observation();
        o.setValue(new Quantity(3));
        assertThat(PathWalk.of("(Observation.value as Quantity)").evaluate(o)).containsExactly(o.getValue());
        assertThat(PathWalk.of("Observation.value.as(CodeableConcept)").evaluate(o)).isEmpty();
        assertThat(PathWalk.of("Patient.value").evaluate(o)).isEmpty();
        Condition c = new Condition();
        c.setOnset(new Age().setValue(4));
        assertThat(PathWalk.of("Condition.onset.as(Quantity)").evaluate(c)).isNull(); // left to the engine
    }

    /** Casts, choice types and shapes the data sets lack. */
    private static List<Resource> handMade() {
        List<Resource> out = new ArrayList<>();
        Observation bp = new Observation();
        bp.setId("pw-bp");
        bp.setStatus(Observation.ObservationStatus.FINAL).getCode().addCoding().setSystem("http://loinc.org").setCode("85354-9");
        bp.setSubject(new Reference("Patient/pw-1"));
        bp.setEffective(new Period().setStartElement(new DateTimeType("2020-01-01")).setEndElement(new DateTimeType("2020-02")));
        for (String code : List.of("8480-6", "8462-4")) {
            var comp = bp.addComponent();
            comp.getCode().addCoding().setSystem("http://loinc.org").setCode(code);
            comp.setValue(new Quantity().setValue(new BigDecimal("120.5")).setSystem(Ucum.SYSTEM).setCode("mm[Hg]"));
        }
        bp.addComponent().setValue(new CodeableConcept().setText("no code"));
        bp.addComponent().setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding("s", "c", null)))
                .setValue(new SampledData().setOrigin(new Quantity(1)).setData("1 2"));
        out.add(bp);
        for (org.hl7.fhir.r4.model.Type value : List.of(new StringType("text"), new CodeableConcept().setText("cc"),
                new DateTimeType("2021-03-04T05:06:07Z"), new Period().setStartElement(new DateTimeType("2020")),
                new BooleanType(true), new Range().setLow(new Quantity(1)), new SampledData().setData("1"))) {
            Observation o = new Observation();
            o.setId("pw-" + value.fhirType());
            o.getCode().addCoding().setSystem("s").setCode("c");
            o.setValue(value);
            out.add(o);
        }
        for (org.hl7.fhir.r4.model.Type onset : List.of(new Age().setValue(40).setSystem(Ucum.SYSTEM).setCode("a"),
                new Range().setLow(new Quantity(1)), new StringType("childhood"), new DateTimeType("1999"),
                new Period().setEndElement(new DateTimeType("2001")))) {
            Condition c = new Condition();
            c.setId("pw-" + onset.fhirType());
            c.setSubject(new Reference("Patient/pw-1"));
            c.setOnset(onset);
            c.setAbatement(onset.copy());
            out.add(c);
        }
        Patient p = new Patient();
        p.setId("pw-1");
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("1");
        p.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("a@b");
        p.setDeceased(new DateTimeType("2020-01-01"));
        p.addName().setFamily("F").addGiven("G").addPrefix("Dr");
        p.getBirthDateElement().addExtension("http://example.org/x", new StringType("only an extension"));
        out.add(p);
        Group g = new Group();
        g.setId("pw-g");
        g.addCharacteristic().setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding("s", "c", null)))
                .setValue(new BooleanType(true));
        g.addCharacteristic().setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding("s", "d", null)))
                .setValue(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding("s", "v", null)));
        out.add(g);
        Measure m = new Measure();
        m.setId("pw-m");
        m.addUseContext(new UsageContext(new org.hl7.fhir.r4.model.Coding("s", "age", null), new Quantity(3)));
        m.addUseContext(new UsageContext(new org.hl7.fhir.r4.model.Coding("s", "age", null),
                new Range().setLow(new Quantity(1)).setHigh(new Quantity(9))));
        m.addUseContext(new UsageContext(new org.hl7.fhir.r4.model.Coding("s", "focus", null),
                new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding("s", "f", null))));
        out.add(m);
        return out;
    }
}
