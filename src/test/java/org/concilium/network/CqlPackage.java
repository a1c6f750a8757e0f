package org.concilium.network;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.concilium.demo.DemoCodes;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * A small CQL measure package (Library, ValueSet, Measure) over the synthetic population: the
 * proportion of patients with a diabetes Condition. Each name gives its own ids and urls, so tests
 * sharing a network do not see each other's packages.
 */
final class CqlPackage {

    static final String GOOD_CQL = """
            library %s version '1.0.0'
            using FHIR version '4.0.1'
            include FHIRHelpers version '4.0.1'
            valueset "Diabetes": '%s'
            parameter "Measurement Period" Interval<DateTime>
            context Patient
            define "All": true
            define "Diabetic": exists [Condition: "Diabetes"]
            """;

    final String name;
    final String cql;
    final boolean withValueSet;

    private CqlPackage(String name, String cql, boolean withValueSet) {
        this.name = name;
        this.cql = cql;
        this.withValueSet = withValueSet;
    }

    static CqlPackage good(String name) {
        return new CqlPackage(name, GOOD_CQL, true);
    }

    /** The last definition loses its closing bracket: a syntax error on line 8. */
    static CqlPackage syntaxError(String name) {
        return new CqlPackage(name, GOOD_CQL.replace("\"Diabetes\"]", "\"Diabetes\""), true);
    }

    /** The good package with one more definition: other content (another hash) under the same ids and version. */
    static CqlPackage revised(String name) {
        return new CqlPackage(name, GOOD_CQL + "define \"Revised\": true\n", true);
    }

    /** The Library names a ValueSet the package does not carry. */
    static CqlPackage withoutValueSet(String name) {
        return new CqlPackage(name, GOOD_CQL, false);
    }

    String id() {
        return name.toLowerCase().replaceAll("[^a-z0-9]", "-");
    }

    String measureUrl() {
        return "http://example.org/fhir/Measure/" + id();
    }

    String valueSetUrl() {
        return "http://example.org/fhir/ValueSet/" + id();
    }

    ValueSet valueSet() {
        ValueSet vs = new ValueSet();
        vs.setId(id());
        vs.setUrl(valueSetUrl()).setStatus(PublicationStatus.ACTIVE);
        vs.getExpansion().setTimestampElement(new org.hl7.fhir.r4.model.DateTimeType("2024-01-01"))
                .addContains().setSystem(DemoCodes.SNOMED).setCode(DemoCodes.DIABETES);
        return vs;
    }

    List<Resource> resources() {
        Library library = new Library();
        library.setId(id());
        library.setUrl("http://example.org/fhir/Library/" + name).setName(name).setVersion("1.0.0");
        library.setStatus(PublicationStatus.ACTIVE);
        library.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/library-type",
                "logic-library", null)));
        library.addContent().setContentType("text/cql")
                .setData(String.format(cql, name, valueSetUrl()).getBytes(StandardCharsets.UTF_8));
        Measure m = new Measure();
        m.setId(id());
        m.setUrl(measureUrl()).setStatus(PublicationStatus.ACTIVE).addLibrary(library.getUrl());
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring",
                "proportion", null)));
        var group = m.addGroup();
        population(group, "initial-population", "All");
        population(group, "denominator", "All");
        population(group, "numerator", "Diabetic");
        List<Resource> out = new ArrayList<>(List.of(library, m));
        if (withValueSet) {
            out.add(valueSet());
        }
        return out;
    }

    /** The transaction Bundle a publisher POSTs to the network base. */
    String publication() {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource r : resources()) {
            tx.addEntry().setResource(r).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart());
        }
        return FhirJson.encode(tx);
    }

    /** The Bundle an entry node sends every site in peer rounds 11 (check) and 10 (activate). */
    byte[] peerPackage() {
        Bundle b = new Bundle().setType(Bundle.BundleType.COLLECTION);
        resources().forEach(r -> b.addEntry().setResource(r));
        return FhirJson.encode(b).getBytes(StandardCharsets.UTF_8);
    }

    private static void population(Measure.MeasureGroupComponent group, String code, String expression) {
        group.addPopulation().setCode(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/measure-population", code, null)))
                .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression(expression));
    }
}
