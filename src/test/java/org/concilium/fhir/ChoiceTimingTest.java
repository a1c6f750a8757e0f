package org.concilium.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Timing on choice-typed elements over HTTP: every alternative of {@code Procedure.performed[x]},
 * {@code Observation.effective[x]}, {@code Condition.onset[x]} / {@code abatement[x]},
 * {@code MedicationAdministration.effective[x]} (and the plain {@code Encounter.period}) is judged by
 * the period it holds, in CQL ({@code X during "Measurement Period"}, {@code X overlaps ...}) and in
 * FHIRPath criteria. One patient per (element, form); each group's numerator must be exactly the
 * patients whose value lies in 2024 (the defect: a performedPeriod inside the period was 0).
 */
@QuarkusTest
class ChoiceTimingTest extends FhirTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String OWN = "urn:concilium:test:choice-timing";
    private static final String VS = "http://example.org/fhir/ValueSet/choice-timing";
    private static final Coding CODE = new Coding("http://snomed.info/sct", "80146002", null);
    private static final Period IN = period("2024-03-01T10:00:00Z", "2024-03-01T11:30:00Z");
    private static final Period OUT = period("2024-12-30T10:00:00Z", "2025-01-02T10:00:00Z"); // overlaps, not during
    private static final DateTimeType DT_IN = new DateTimeType("2024-06-15T08:00:00+02:00");
    private static final DateTimeType DT_OUT = new DateTimeType("2023-12-31T23:00:00Z");

    static final String CQL = """
            library ChoiceTiming version '1.0.0'
            using FHIR version '4.0.1'
            include FHIRHelpers version '4.0.1' called FHIRHelpers
            valueset "VS": 'http://example.org/fhir/ValueSet/choice-timing'
            parameter "Measurement Period" Interval<DateTime>
            context Patient
            define "All": exists (Patient.identifier I where I.system = 'urn:concilium:test:choice-timing')
            define "Procedure": exists ["Procedure": "VS"] P where P.performed during "Measurement Period" and P.status = 'completed'
            define "Observation": exists [Observation: "VS"] O where O.effective during "Measurement Period"
            define "Observation overlaps": exists [Observation: "VS"] O where O.effective overlaps "Measurement Period"
            define "Condition onset": exists [Condition: "VS"] C where C.onset during "Measurement Period"
            define "Condition abatement": exists [Condition: "VS"] C where C.abatement during "Measurement Period"
            define "MedicationAdministration": exists [MedicationAdministration] M where M.effective during "Measurement Period"
            define "Encounter": exists [Encounter: "VS"] E where E.period during "Measurement Period"
            """;

    /** FHIRPath twins of the CQL definitions: each choice alternative tested with is/ofType. */
    static final Map<String, String> FHIRPATH = Map.of(
            "Procedure", "%Procedure.where(status = 'completed' and " + during("performed") + ").exists()",
            "Observation", "%Observation.where(" + during("effective") + ").exists()",
            "Observation overlaps", "%Observation.where((effective.ofType(dateTime) | effective.ofType(instant))"
                    + ".where($this >= %periodStart and $this <= %periodEnd).exists() or effective.ofType(Period)"
                    + ".where(start <= %periodEnd and end >= %periodStart).exists()).exists()",
            "Condition onset", "%Condition.where(" + during("onset") + ").exists()",
            "Condition abatement", "%Condition.where(" + during("abatement") + ").exists()",
            "MedicationAdministration", "%MedicationAdministration.where(" + during("effective") + ").exists()",
            "Encounter", "%Encounter.where(period.start >= %periodStart and period.end <= %periodEnd).exists()");

    /** Expected numerator of each group: the patients whose value is in 2024. */
    static final Map<String, Set<String>> EXPECTED = new TreeMap<>();
    private static final List<Resource> DATA = new ArrayList<>();
    private static boolean loaded;

    static {
        procedure("pr-datetime-in", DT_IN, true);
        procedure("pr-period-in", IN, true);
        procedure("pr-period-out", OUT, false);
        procedure("pr-datetime-out", DT_OUT, false);
        observation("ob-datetime-in", DT_IN, true, true);
        observation("ob-period-in", IN, true, true);
        observation("ob-instant-in", new InstantType("2024-02-02T02:02:02.000Z"), true, true);
        observation("ob-period-out", OUT, false, true);
        observation("ob-datetime-out", DT_OUT, false, false);
        onset("co-datetime-in", DT_IN, true);
        onset("co-period-in", IN, true);
        onset("co-period-out", OUT, false);
        abatement("ca-datetime-in", DT_IN, true);
        abatement("ca-period-in", IN, true);
        abatement("ca-period-out", OUT, false);
        administration("ma-datetime-in", DT_IN, true);
        administration("ma-period-in", IN, true);
        administration("ma-period-out", OUT, false);
        encounter("en-period-in", IN, true);
        encounter("en-period-out", OUT, false);
        // second-precision values on the period's edges: CQL compares seconds and milliseconds as one decimal
        encounter("en-period-edge", period("2024-01-01T00:00:00Z", "2024-01-01T00:30:00Z"), true);
        procedure("pr-datetime-edge", new DateTimeType("2024-12-31T23:59:59Z"), true);
    }

    @BeforeEach
    void load() {
        if (loaded) {
            return;
        }
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        DATA.forEach(r -> tx.addEntry().setResource(r).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart()));
        for (Resource r : knowledge()) {
            tx.addEntry().setResource(r).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart());
        }
        fhir().body(FHIR.newJsonParser().encodeResourceToString(tx)).post("").then().log().ifValidationFails().statusCode(200);
        loaded = true;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"choice-timing-cql", "choice-timing-fhirpath"})
    void eachAlternativeIsJudgedByItsOwnValue(String measure) {
        String body = fhir().urlEncodingEnabled(false)
                .get("/Measure/" + measure + "/$evaluate-measure?periodStart=2024-01-01&periodEnd=2024-12-31"
                        + "&reportType=subject-list")
                .then().statusCode(200).extract().asString();
        MeasureReport report = FHIR.newJsonParser().parseResource(MeasureReport.class, body);
        Map<String, Set<String>> numerators = new TreeMap<>();
        for (var group : report.getGroup()) {
            for (var population : group.getPopulation()) {
                if ("numerator".equals(population.getCode().getCodingFirstRep().getCode())) {
                    numerators.put(group.getId().replace('-', ' '), members(report, population.getSubjectResults()));
                }
            }
            assertEquals(DATA.stream().filter(r -> r instanceof Patient).count(),
                    group.getPopulationFirstRep().getCount(), "initial population of " + group.getId());
        }
        assertEquals(EXPECTED, numerators);
    }

    private static Set<String> members(MeasureReport report, Reference list) {
        Set<String> out = new TreeSet<>();
        if (list.getReference() == null) {
            return out;
        }
        String id = list.getReference().substring(1);
        for (Resource r : report.getContained()) {
            if (r instanceof ListResource l && id.equals(l.getIdElement().getIdPart())) {
                l.getEntry().forEach(e -> out.add(e.getItem().getReferenceElement().getIdPart()));
            }
        }
        return out;
    }

    private static String during(String element) {
        return "((" + element + ".ofType(dateTime) | " + element + ".ofType(instant))"
                + ".where($this >= %periodStart and $this <= %periodEnd).exists() or " + element + ".ofType(Period)"
                + ".where(start >= %periodStart and end <= %periodEnd).exists())";
    }

    private static List<Resource> knowledge() {
        Library library = new Library();
        library.setId("choice-timing");
        library.setUrl("http://example.org/fhir/Library/ChoiceTiming").setName("ChoiceTiming").setVersion("1.0.0");
        library.setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);
        library.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/library-type", "logic-library", null)));
        library.addContent().setContentType("text/cql").setData(CQL.getBytes(StandardCharsets.UTF_8));
        ValueSet vs = new ValueSet();
        vs.setId("choice-timing");
        vs.setUrl(VS).setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);
        vs.getExpansion().setTimestampElement(new org.hl7.fhir.r4.model.DateTimeType("2024-01-01"))
                .addContains().setSystem(CODE.getSystem()).setCode(CODE.getCode());
        return List.of(library, vs, measure("choice-timing-cql", true), measure("choice-timing-fhirpath", false));
    }

    private static Measure measure(String id, boolean cql) {
        Measure m = new Measure();
        m.setId(id);
        m.setUrl("http://example.org/fhir/Measure/" + id).setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);
        if (cql) {
            m.addLibrary("http://example.org/fhir/Library/ChoiceTiming");
        }
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", "proportion", null)));
        for (String name : EXPECTED.keySet()) {
            var group = m.addGroup();
            group.setId(name.replace(' ', '-'));
            // other test classes share this node: count only this class's own patients
            String all = cql ? "All" : "identifier.where(system = '" + OWN + "').exists()";
            population(group, "initial-population", all, cql);
            population(group, "denominator", all, cql);
            population(group, "numerator", cql ? name : FHIRPATH.get(name), cql);
        }
        return m;
    }

    private static void population(Measure.MeasureGroupComponent group, String code, String criteria, boolean cql) {
        group.addPopulation().setCode(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/measure-population", code, null)))
                .setCriteria(new Expression().setLanguage(cql ? "text/cql-identifier" : "text/fhirpath").setExpression(criteria));
    }

    private static String patient(String id, String group, boolean expected) {
        Patient p = new Patient();
        p.setId(id);
        p.addIdentifier().setSystem(OWN).setValue(id);
        DATA.add(p);
        for (String name : List.of("Procedure", "Observation", "Observation overlaps", "Condition onset",
                "Condition abatement", "MedicationAdministration", "Encounter")) {
            EXPECTED.computeIfAbsent(name, k -> new TreeSet<>());
        }
        if (expected) {
            EXPECTED.get(group).add(id);
        }
        return "Patient/" + id;
    }

    private static void procedure(String id, Type performed, boolean during) {
        Procedure p = new Procedure();
        p.setId(id);
        p.setSubject(new Reference(patient(id, "Procedure", during)));
        p.setStatus(Procedure.ProcedureStatus.COMPLETED).setCode(new CodeableConcept(CODE)).setPerformed(performed);
        DATA.add(p);
    }

    private static void observation(String id, Type effective, boolean during, boolean overlaps) {
        Observation o = new Observation();
        o.setId(id);
        o.setSubject(new Reference(patient(id, "Observation", during)));
        if (overlaps) {
            EXPECTED.get("Observation overlaps").add(id);
        }
        o.setStatus(Observation.ObservationStatus.FINAL).setCode(new CodeableConcept(CODE)).setEffective(effective);
        DATA.add(o);
    }

    private static void onset(String id, Type onset, boolean during) {
        Condition c = condition(id, "Condition onset", during);
        c.setOnset(onset);
    }

    private static void abatement(String id, Type abatement, boolean during) {
        Condition c = condition(id, "Condition abatement", during);
        c.setOnset(new DateTimeType("2020-01-01"));
        c.setAbatement(abatement);
    }

    private static Condition condition(String id, String group, boolean during) {
        Condition c = new Condition();
        c.setId(id);
        c.setSubject(new Reference(patient(id, group, during)));
        c.setCode(new CodeableConcept(CODE));
        DATA.add(c);
        return c;
    }

    private static void administration(String id, Type effective, boolean during) {
        MedicationAdministration m = new MedicationAdministration();
        m.setId(id);
        m.setSubject(new Reference(patient(id, "MedicationAdministration", during)));
        m.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED).setMedication(new CodeableConcept(CODE)).setEffective(effective);
        DATA.add(m);
    }

    private static void encounter(String id, Period period, boolean during) {
        Encounter e = new Encounter();
        e.setId(id);
        e.setSubject(new Reference(patient(id, "Encounter", during)));
        e.setStatus(Encounter.EncounterStatus.FINISHED).addType(new CodeableConcept(CODE)).setPeriod(period);
        e.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null));
        DATA.add(e);
    }

    private static Period period(String start, String end) {
        return new Period().setStartElement(new DateTimeType(start)).setEndElement(new DateTimeType(end));
    }
}
