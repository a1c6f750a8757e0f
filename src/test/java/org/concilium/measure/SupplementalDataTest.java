package org.concilium.measure;

import static org.concilium.measure.MeasureScenario.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** Supplemental data: per-value counts as contained Observations; a missing value is data-absent, never "null". */
class SupplementalDataTest {

    @Test
    void missingValueIsDataAbsentNotTheTextNull() {
        Measure m = new Measure();
        m.setId("sde-gender");
        m.setUrl("http://example.org/fhir/Measure/sde-gender");
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", "cohort", null)));
        m.addGroup().addPopulation().setCode(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/measure-population", "initial-population", null)))
                .setCriteria(new Expression().setLanguage("text/fhirpath").setExpression("true"));
        var sde = m.addSupplementalData();
        sde.setId("sde-sex");
        sde.setCriteria(new Expression().setLanguage("text/fhirpath").setExpression("%patient.gender"));
        InMemoryClinicalData data = InMemoryClinicalData.builder().add(m)
                .add(patient("a", Enumerations.AdministrativeGender.FEMALE))
                .add(patient("b", Enumerations.AdministrativeGender.FEMALE))
                .add(patient("c", null)).build();

        MeasureReport report = given(data).when().measure("sde-gender").evaluate().then().report();

        Map<String, Integer> counts = new TreeMap<>();
        for (var r : report.getContained()) {
            if (r instanceof Observation o) {
                assertFalse("null".equals(o.getCode().getText()), "a missing value is rendered as the text 'null'");
                String key = o.getCode().hasText() ? o.getCode().getText()
                        : "absent:" + o.getCode().getExtensionByUrl(
                                "http://hl7.org/fhir/StructureDefinition/data-absent-reason").getValue().primitiveValue();
                counts.put(key, ((IntegerType) o.getValue()).getValue());
            }
        }
        assertEquals(Map.of("female", 2, "absent:unknown", 1), counts);
    }

    private static Patient patient(String id, Enumerations.AdministrativeGender gender) {
        Patient p = new Patient();
        p.setId(id);
        if (gender != null) {
            p.setGender(gender);
        }
        return p;
    }
}
