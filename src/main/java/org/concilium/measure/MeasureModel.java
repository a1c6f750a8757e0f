package org.concilium.measure;

import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Measure;

/**
 * The one model of a FHIR Measure: checked against the CQF measure-conformance rules and reduced
 * to what local evaluation, network layouts and scoring need. Only {@code measure/} reads a
 * Measure's groups and populations (ArchitectureTest); everything else reads this. Get one through
 * {@link #of(Measure)}, built once per Measure version and cached ({@link MeasureModels}).
 *
 * @param improvementNotation {@code increase}, {@code decrease} or null, as the Measure declares it
 */
public record MeasureModel(
        Measure measure,
        String libraryRef,
        List<Group> groups,
        List<Supplemental> supplementalData,
        String improvementNotation) {

    /** The model of a Measure, from the cache when this Measure version was modelled before. */
    public static MeasureModel of(Measure measure) {
        return MeasureModels.of(measure);
    }

    /** The Measure's versioned canonical ({@link MeasureCanonical#of}), null without a url. */
    public String canonical() {
        return MeasureCanonical.of(measure);
    }

    /** The canonical a report of this Measure names ({@link MeasureCanonical#reference}). */
    public String reference() {
        return MeasureCanonical.reference(measure);
    }

    public enum PopulationType {
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

        /** The http://terminology.hl7.org/CodeSystem/measure-population code. */
        public String code() {
            return code;
        }

        public static PopulationType of(String code) {
            for (PopulationType t : values()) {
                if (t.code.equals(code)) {
                    return t;
                }
            }
            return null;
        }
    }

    public enum Language {
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
    public record Criteria(Language language, String expression, String location) {}

    /**
     * @param criteriaReference the id of the population this one draws from (cqfm-criteriaReference), or null
     * @param aggregateMethod set for measure-observation populations only
     */
    public record Population(
            int index,
            String id,
            PopulationType type,
            CodeableConcept code,
            Criteria criteria,
            String criteriaReference,
            AggregateMethod aggregateMethod) {}

    /** A stratifier; the value form is represented as one component carrying the stratifier's own criteria. */
    public record Stratifier(int index, String id, CodeableConcept code, List<Component> components, boolean componentForm,
            String location) {}

    /** A stratifier component (or the stratifier itself in value form) and the values it declares. */
    public record Component(String id, CodeableConcept code, Criteria criteria, DeclaredDomain domain) {}

    public record Supplemental(int index, String id, CodeableConcept code, Criteria criteria, DeclaredDomain domain) {}

    /**
     * The values a stratifier component or supplemental-data element declares it can take
     * ({@link MeasureExtensions#STRATUM_VALUE}) or the value set it binds them to
     * ({@link MeasureExtensions#STRATUM_VALUE_SET}); at most one of the two. Network layouts count
     * one slot per value (docs/layout.md); local evaluation does not need them.
     */
    public record DeclaredDomain(List<StratumValue> values, String valueSet) {
        public static final DeclaredDomain NONE = new DeclaredDomain(List.of(), null);

        public DeclaredDomain {
            values = List.copyOf(values);
        }
    }

    /**
     * What one subject may contribute to a group, as the Measure declares it for differential
     * privacy ({@link MeasureExtensions#DP_MAX_RESOURCES}, {@link MeasureExtensions#DP_MAX_OBSERVATION});
     * null where the Measure declares no valid bound.
     */
    public record SubjectBounds(Integer maxResources, Double maxObservation) {}

    /**
     * @param basis null for boolean basis, else the FHIR resource type the populations contain
     * @param improvementNotation the group's own or else the Measure's
     */
    public record Group(
            int index,
            String id,
            CodeableConcept code,
            Scoring scoring,
            String basis,
            String improvementNotation,
            List<Population> populations,
            List<Stratifier> stratifiers,
            SubjectBounds bounds) {

        public boolean booleanBasis() {
            return basis == null;
        }

        /** True for a ratio whose numerator and denominator are drawn from two initial populations. */
        public boolean twoInitialPopulations() {
            return populations.stream().filter(p -> p.type() == PopulationType.INITIAL_POPULATION).count() == 2;
        }

        /**
         * The initial population a population is drawn from: the one its cqfm-criteriaReference names
         * (a ratio with two initial populations), else the group's first.
         */
        public Population initialPopulationOf(Population population) {
            for (Population p : populations) {
                if (p.type() == PopulationType.INITIAL_POPULATION && p.id() != null
                        && p.id().equals(population.criteriaReference())) {
                    return p;
                }
            }
            return first(PopulationType.INITIAL_POPULATION);
        }

        /** The first population of this type, or null. */
        public Population first(PopulationType type) {
            for (Population p : populations) {
                if (p.type() == type) {
                    return p;
                }
            }
            return null;
        }
    }
}
