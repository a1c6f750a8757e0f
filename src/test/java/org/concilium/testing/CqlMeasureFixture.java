package org.concilium.testing;

import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;

/**
 * The small CQL measure content tests write: a logic Library with its CQL, and a proportion Measure
 * whose three populations name the CQL definitions "Initial Population", "Denominator" and
 * "Numerator". Each test adds what its case needs (improvement notation, ids, a period).
 */
public final class CqlMeasureFixture {

    private CqlMeasureFixture() {
    }

    /** Library {@code id}, {@code http://example.org/fhir/Library/<name>} version 1.0.0, the CQL as {@code text/cql}. */
    public static Library library(String id, String name, String cql) {
        Library l = new Library();
        l.setId(id);
        l.setUrl("http://example.org/fhir/Library/" + name).setName(name).setVersion("1.0.0")
                .setStatus(PublicationStatus.ACTIVE)
                .setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/library-type", "logic-library", null)));
        l.addContent().setContentType("text/cql").setData(cql.getBytes(StandardCharsets.UTF_8));
        return l;
    }

    /** Measure {@code id} at {@code http://example.org/fhir/Measure/<id>}, proportion, one group; {@code library} as given. */
    public static Measure proportion(String id, String name, String library) {
        Measure m = new Measure();
        m.setId(id);
        m.setUrl("http://example.org/fhir/Measure/" + id).setName(name).setStatus(PublicationStatus.ACTIVE);
        m.addLibrary(library);
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", "proportion", null)));
        var g = m.addGroup();
        for (String[] p : new String[][] {{"initial-population", "Initial Population"}, {"denominator", "Denominator"},
                {"numerator", "Numerator"}}) {
            g.addPopulation().setCode(populationCode(p[0]))
                    .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression(p[1]));
        }
        return m;
    }

    /** The group id {@code group-1} and each population's id its code, as reports refer to them. */
    public static Measure withIds(Measure m) {
        m.getGroupFirstRep().setId("group-1");
        m.getGroupFirstRep().getPopulation().forEach(p -> p.setId(p.getCode().getCodingFirstRep().getCode()));
        return m;
    }

    public static CodeableConcept populationCode(String code) {
        return new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-population", code, null));
    }
}
