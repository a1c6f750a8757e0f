package org.concilium.measure;

import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Measure;

/** A Measure checked and reduced to what evaluation needs; built by {@link MeasureModelParser}. */
record MeasureModel(
        Measure measure,
        String libraryRef,
        List<Group> groups,
        List<Supplemental> supplementalData,
        String improvementNotation) {

    enum PopulationType {
        INITIAL_POPULATION("initial-population"),
        NUMERATOR("numerator"),
        NUMERATOR_EXCLUSION("numerator-exclusion"),
        DENOMINATOR("denominator"),
        DENOMINATOR_EXCLUSION("denominator-exclusion"),
        DENOMINATOR_EXCEPTION("denominator-exception"),
        MEASURE_POPULATION("measure-population"),
        MEASURE_POPULATION_EXCLUSION("measure-population-exclusion"),
        MEASURE_OBSERVATION("measure-observation");

        final String code;

        PopulationType(String code) {
            this.code = code;
        }

        static PopulationType of(String code) {
            for (PopulationType t : values()) {
                if (t.code.equals(code)) {
                    return t;
                }
            }
            return null;
        }
    }

    enum Language {
        CQL, FHIRPATH;

        static Language of(String mime) {
            if (mime == null) {
                return null;
            }
            return switch (mime.toLowerCase(Locale.ROOT)) {
                case "text/cql", "text/cql-identifier", "text/cql.identifier", "text/cql.name" -> CQL;
                case "text/fhirpath" -> FHIRPATH;
                default -> null;
            };
        }
    }

    /** An expression and where it sits in the Measure (for error messages). */
    record Criteria(Language language, String expression, String location) {}

    record Population(
            int index,
            String id,
            PopulationType type,
            CodeableConcept code,
            Criteria criteria,
            String criteriaReference,
            AggregateMethod aggregateMethod) {}

    /** A stratifier; the value form is represented as one component carrying the stratifier's own criteria. */
    record Stratifier(int index, String id, CodeableConcept code, List<Component> components, boolean componentForm,
            String location) {}

    record Component(String id, CodeableConcept code, Criteria criteria) {}

    record Supplemental(int index, String id, CodeableConcept code, Criteria criteria) {}

    /**
     * @param basis null for boolean basis, else the FHIR resource type the populations contain
     */
    record Group(
            int index,
            String id,
            CodeableConcept code,
            Scoring scoring,
            String basis,
            String improvementNotation,
            List<Population> populations,
            List<Stratifier> stratifiers) {

        boolean booleanBasis() {
            return basis == null;
        }

        Population first(PopulationType type) {
            for (Population p : populations) {
                if (p.type() == type) {
                    return p;
                }
            }
            return null;
        }
    }
}
