package org.concilium.layout;

import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.StringType;

/** Realistic Measures built with HAPI model classes, one per scoring type. */
final class TestMeasures {
    static final String SCORING = "http://terminology.hl7.org/CodeSystem/measure-scoring";
    static final String RACE = "urn:oid:2.16.840.1.113883.6.238";

    private TestMeasures() {}

    static <T extends org.hl7.fhir.r4.model.Element> T id(T e, String id) {
        e.setId(id);
        return e;
    }

    static Measure base(String id, String scoring) {
        Measure m = new Measure();
        m.setId(id);
        m.setUrl("http://example.org/fhir/Measure/" + id);
        m.setVersion("1.0.0");
        m.setStatus(Enumerations.PublicationStatus.ACTIVE);
        m.setScoring(new CodeableConcept(new Coding(SCORING, scoring, null)));
        m.addLibrary("http://example.org/fhir/Library/" + id); // CQL criteria need one (never loaded here)
        return m;
    }

    static Measure.MeasureGroupPopulationComponent pop(Measure.MeasureGroupComponent g, String code, String expr) {
        return g.addPopulation()
                .setCode(new CodeableConcept(new Coding(PopulationCodes.SYSTEM, code, null)))
                .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression(expr));
    }

    /** Diabetes HbA1c-style proportion measure: gender, age band and gender × age-band strata; sex and race SDEs. */
    static Measure proportion() {
        Measure m = base("hba1c", "proportion");
        Measure.MeasureGroupComponent g = m.addGroup();
        g.setId("main");
        pop(g, "initial-population", "Initial Population");
        pop(g, "denominator", "Denominator");
        pop(g, "denominator-exclusion", "Denominator Exclusion");
        pop(g, "denominator-exception", "Denominator Exception");
        pop(g, "numerator", "Numerator");
        id(g.addStratifier(), "gender").setCode(new CodeableConcept().setText("gender"))
                .setCriteria(new Expression().setLanguage("text/fhirpath").setExpression("Patient.gender"));
        ageBands(id(g.addStratifier(), "age").setCode(new CodeableConcept().setText("age band"))
                .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression("Age Band")));
        Measure.MeasureGroupStratifierComponent both = id(g.addStratifier(), "gender-age");
        both.addComponent().setCode(new CodeableConcept().setText("gender"))
                .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression("Gender"));
        ageBands(both.addComponent().setCode(new CodeableConcept().setText("age"))
                .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression("Age Band")));
        id(m.addSupplementalData(), "sde-sex").setCode(new CodeableConcept().setText("sde-sex"))
                .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression("SDE Sex"))
                .getExtension().add(new org.hl7.fhir.r4.model.Extension(ValueDomainResolver.EXT_VALUE_SET,
                        new CanonicalType(ValueDomainResolver.GENDER_VS)));
        Measure.MeasureSupplementalDataComponent race = id(m.addSupplementalData(), "sde-race")
                .setCode(new CodeableConcept().setText("sde-race"))
                .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression("SDE Race"));
        race.addExtension(ValueDomainResolver.EXT_VALUE, new Coding(RACE, "2106-3", "White"));
        race.addExtension(ValueDomainResolver.EXT_VALUE, new Coding(RACE, "2054-5", "Black or African American"));
        race.addExtension(ValueDomainResolver.EXT_VALUE, new Coding(RACE, "2028-9", "Asian"));
        return m;
    }

    static <T extends org.hl7.fhir.r4.model.Element> T ageBands(T e) {
        e.addExtension(ValueDomainResolver.EXT_VALUE, new StringType("0-17"));
        e.addExtension(ValueDomainResolver.EXT_VALUE, new StringType("18-64"));
        e.addExtension(ValueDomainResolver.EXT_VALUE, new StringType("65+"));
        return e;
    }

    /** Ratio measure with numerator exclusion and a boolean stratifier derived from exists(). */
    static Measure ratio() {
        Measure m = base("falls", "ratio");
        Measure.MeasureGroupComponent g = m.addGroup();
        g.setId("falls");
        pop(g, "initial-population", "Initial Population");
        pop(g, "denominator", "Denominator");
        pop(g, "denominator-exclusion", "Denominator Exclusion");
        pop(g, "numerator", "Numerator");
        pop(g, "numerator-exclusion", "Numerator Exclusion");
        id(g.addStratifier(), "has-fracture")
                .setCriteria(new Expression().setLanguage("text/fhirpath").setExpression("Condition.where(code = 'fracture').exists()"));
        return m;
    }

    static Measure cohort() {
        Measure m = base("diabetics", "cohort");
        Measure.MeasureGroupComponent g = m.addGroup();
        pop(g, "initial-population", "Initial Population");
        g.addStratifier().setCode(new CodeableConcept().setText("gender"))
                .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression("Gender"));
        return m;
    }

    /** Emergency-department length of stay: average of minutes, per gender. */
    static Measure continuousVariable(String aggregate) {
        Measure m = base("ed-los", "continuous-variable");
        Measure.MeasureGroupComponent g = m.addGroup();
        g.setId("los");
        pop(g, "initial-population", "Initial Population");
        pop(g, "measure-population", "Measure Population");
        pop(g, "measure-population-exclusion", "Measure Population Exclusion");
        pop(g, "measure-observation", "Length of Stay").getExtension()
                .add(new org.hl7.fhir.r4.model.Extension("http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-aggregateMethod", new CodeType(aggregate)));
        id(g.addStratifier(), "gender")
                .setCriteria(new Expression().setLanguage("text/fhirpath").setExpression("Patient.gender"));
        return m;
    }
}
