package org.concilium.fhir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Generated terminology content (seeded): a CodeSystem of {@link #SIZE} concepts in a random tree,
 * each edge stated either by nesting or by a {@code parent} property, with designations and a
 * {@code color} property; ValueSets defined by filters over it; patients with one Observation coded
 * at a random concept; and a Measure whose numerator retrieves by the {@code is-a} ValueSet. The
 * expected answers are computed here from the generated tree, independently of the server.
 */
final class TerminologyFixture {

    static final String SYSTEM = "http://example.org/fhir/CodeSystem/term-tree";
    static final String OWN = "urn:concilium:test:terminology";
    static final String IS_A = "http://example.org/fhir/ValueSet/term-is-a";
    static final String DESCENDENT = "http://example.org/fhir/ValueSet/term-descendent-of";
    static final String NOT_A = "http://example.org/fhir/ValueSet/term-is-not-a";
    static final String RED = "http://example.org/fhir/ValueSet/term-red";
    static final int SIZE = 40;
    static final int PATIENTS = 60;

    final Map<String, String> parent = new LinkedHashMap<>();
    final Map<String, String> color = new LinkedHashMap<>();
    final Map<String, String> observationCode = new LinkedHashMap<>();
    final String anchor;
    final CodeSystem codeSystem = new CodeSystem();
    final List<Resource> resources = new ArrayList<>();

    TerminologyFixture(long seed) {
        Random random = new Random(seed);
        codeSystem.setId("term-tree");
        codeSystem.setUrl(SYSTEM).setName("TermTree").setVersion("1").setStatus(PublicationStatus.ACTIVE)
                .setContent(CodeSystem.CodeSystemContentMode.COMPLETE);
        codeSystem.setHierarchyMeaning(CodeSystem.CodeSystemHierarchyMeaning.ISA);
        codeSystem.addProperty().setCode("color").setType(CodeSystem.PropertyType.CODE);
        codeSystem.addProperty().setCode("parent").setType(CodeSystem.PropertyType.CODE);
        Map<String, CodeSystem.ConceptDefinitionComponent> defs = new LinkedHashMap<>();
        for (int i = 0; i < SIZE; i++) {
            String code = "c" + i;
            CodeSystem.ConceptDefinitionComponent c = new CodeSystem.ConceptDefinitionComponent().setCode(code)
                    .setDisplay("Concept " + i);
            c.addDesignation().setLanguage("de").setValue("Begriff " + i);
            color.put(code, random.nextBoolean() ? "red" : "blue");
            c.addProperty().setCode("color").setValue(new CodeType(color.get(code)));
            defs.put(code, c);
            if (i == 0) {
                codeSystem.addConcept(c);
                continue;
            }
            String p = "c" + random.nextInt(i);
            parent.put(code, p);
            if (random.nextBoolean()) {
                defs.get(p).addConcept(c); // nested
            } else {
                c.addProperty().setCode("parent").setValue(new CodeType(p));
                codeSystem.addConcept(c);
            }
        }
        // the anchor of the is-a ValueSet: the non-root concept with the most descendants
        String best = "c1";
        for (String code : defs.keySet()) {
            if (!code.equals("c0") && descendantsOrSelf(code).size() > descendantsOrSelf(best).size()) {
                best = code;
            }
        }
        anchor = best;
        resources.add(codeSystem);
        resources.add(filtered("term-is-a", IS_A, "concept", ValueSet.FilterOperator.ISA, anchor));
        resources.add(filtered("term-descendent-of", DESCENDENT, "concept", ValueSet.FilterOperator.DESCENDENTOF, anchor));
        resources.add(filtered("term-is-not-a", NOT_A, "concept", ValueSet.FilterOperator.ISNOTA, anchor));
        resources.add(filtered("term-red", RED, "color", ValueSet.FilterOperator.EQUAL, "red"));
        for (int i = 0; i < PATIENTS; i++) {
            String id = "term-p" + i;
            Patient patient = new Patient();
            patient.setId(id);
            patient.addIdentifier().setSystem(OWN).setValue(id);
            resources.add(patient);
            String code = "c" + random.nextInt(SIZE);
            observationCode.put(id, code);
            Observation o = new Observation();
            o.setId(id + "-obs");
            o.setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference("Patient/" + id))
                    .setCode(new CodeableConcept(new Coding(SYSTEM, code, null)));
            o.setEffective(new org.hl7.fhir.r4.model.DateTimeType("2024-05-05T10:00:00Z"));
            resources.add(o);
        }
        resources.addAll(measure());
    }

    Set<String> descendantsOrSelf(String code) {
        Set<String> out = new LinkedHashSet<>();
        out.add(code);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (var e : parent.entrySet()) {
                if (out.contains(e.getValue()) && out.add(e.getKey())) {
                    grew = true;
                }
            }
        }
        return out;
    }

    Set<String> ancestorsOrSelf(String code) {
        Set<String> out = new LinkedHashSet<>();
        for (String c = code; c != null; c = parent.get(c)) {
            out.add(c);
        }
        return out;
    }

    Set<String> children(String code) {
        Set<String> out = new LinkedHashSet<>();
        parent.forEach((child, p) -> {
            if (p.equals(code)) {
                out.add(child);
            }
        });
        return out;
    }

    /** The patients whose Observation code is in {@code codes}. */
    long patientsCodedIn(Set<String> codes) {
        return observationCode.values().stream().filter(codes::contains).count();
    }

    Bundle transaction() {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        resources.forEach(r -> tx.addEntry().setResource(r).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart()));
        return tx;
    }

    private static ValueSet filtered(String id, String url, String property, ValueSet.FilterOperator op, String value) {
        ValueSet vs = new ValueSet();
        vs.setId(id);
        vs.setUrl(url).setVersion("1").setName(id.replace("-", "")).setStatus(PublicationStatus.ACTIVE);
        vs.getCompose().addInclude().setSystem(SYSTEM).addFilter().setProperty(property).setOp(op).setValue(value);
        return vs;
    }

    static final String CQL = """
            library TermIsA version '1.0.0'
            using FHIR version '4.0.1'
            include FHIRHelpers version '4.0.1' called FHIRHelpers
            valueset "Tree": 'http://example.org/fhir/ValueSet/term-is-a'
            parameter "Measurement Period" Interval<DateTime>
            context Patient
            define "All": exists (Patient.identifier I where I.system = 'urn:concilium:test:terminology')
            define "Coded": exists [Observation: "Tree"]
            """;

    private static List<Resource> measure() {
        Library library = new Library();
        library.setId("term-is-a");
        library.setUrl("http://example.org/fhir/Library/TermIsA").setName("TermIsA").setVersion("1.0.0");
        library.setStatus(PublicationStatus.ACTIVE);
        library.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/library-type",
                "logic-library", null)));
        library.addContent().setContentType("text/cql").setData(CQL.getBytes(StandardCharsets.UTF_8));
        Measure m = new Measure();
        m.setId("term-is-a");
        m.setUrl("http://example.org/fhir/Measure/term-is-a").setStatus(PublicationStatus.ACTIVE);
        m.addLibrary("http://example.org/fhir/Library/TermIsA");
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring",
                "proportion", null)));
        var group = m.addGroup();
        for (String[] p : new String[][] {{"initial-population", "All"}, {"denominator", "All"}, {"numerator", "Coded"}}) {
            group.addPopulation().setCode(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/measure-population", p[0], null)))
                    .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression(p[1]));
        }
        return List.of(library, m);
    }
}
