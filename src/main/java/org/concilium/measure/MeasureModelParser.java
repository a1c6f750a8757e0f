package org.concilium.measure;

import static org.concilium.measure.MeasureEvaluationException.broken;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.concilium.measure.MeasureModel.Component;
import org.concilium.measure.MeasureModel.Criteria;
import org.concilium.measure.MeasureModel.DeclaredDomain;
import org.concilium.measure.MeasureModel.Group;
import org.concilium.measure.MeasureModel.Language;
import org.concilium.measure.MeasureModel.Population;
import org.concilium.measure.MeasureModel.PopulationType;
import org.concilium.measure.MeasureModel.Stratifier;
import org.concilium.measure.MeasureModel.SubjectBounds;
import org.concilium.measure.MeasureModel.Supplemental;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Type;

/** Checks a Measure against the CQF measure-conformance rules and reduces it to a {@link MeasureModel}. */
final class MeasureModelParser {

    static final String EXT_POPULATION_BASIS = "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-populationBasis";
    static final String EXT_SCORING = "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-scoring";
    static final String EXT_IMPROVEMENT = "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-improvementNotation";
    static final String EXT_CRITERIA_REFERENCE = "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-criteriaReference";
    static final String EXT_AGGREGATE_METHOD = "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-aggregateMethod";
    static final String IMPROVEMENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-improvement-notation";

    private MeasureModelParser() {}

    static MeasureModel parse(Measure measure) {
        if (measure.getGroup().isEmpty()) {
            throw broken("Measure.group", "the Measure has no group");
        }
        String measureImprovement = improvementNotation(measure.getImprovementNotation(), "Measure.improvementNotation");
        Scoring measureScoring = scoring(measure.getScoring(), "Measure.scoring");
        String measureBasis = basis(measure.getExtensionByUrl(EXT_POPULATION_BASIS), "Measure.extension");

        Set<String> populationIds = new HashSet<>();
        boolean needsCql = false;
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < measure.getGroup().size(); g++) {
            var group = measure.getGroup().get(g);
            String gLoc = "Measure.group[" + g + "]";
            Scoring scoring = measureScoring;
            Extension scoringExt = group.getExtensionByUrl(EXT_SCORING);
            if (scoringExt != null) {
                scoring = scoring((CodeableConcept) scoringExt.getValue(), gLoc + ".extension('" + EXT_SCORING + "')");
            }
            if (scoring == null) {
                throw broken("Measure.scoring", "no scoring for " + gLoc + " (Measure.scoring or the group's cqfm-scoring extension)");
            }
            String basis = measureBasis;
            Extension basisExt = group.getExtensionByUrl(EXT_POPULATION_BASIS);
            if (basisExt != null) {
                basis = basis(basisExt, gLoc + ".extension");
            }
            String improvement = measureImprovement;
            Extension impExt = group.getExtensionByUrl(EXT_IMPROVEMENT);
            if (impExt != null) {
                improvement = improvementNotation((CodeableConcept) impExt.getValue(), gLoc + ".extension('" + EXT_IMPROVEMENT + "')");
            }

            List<Population> populations = new ArrayList<>();
            for (int p = 0; p < group.getPopulation().size(); p++) {
                var pop = group.getPopulation().get(p);
                String pLoc = gLoc + ".population[" + p + "]";
                PopulationType type = pop.getCode().getCoding().stream()
                        .map(c -> PopulationType.of(c.getCode()))
                        .filter(t -> t != null)
                        .findFirst()
                        .orElseThrow(() -> broken(pLoc + ".code", "population code missing or not a measure-population code"));
                if (pop.hasId() && !populationIds.add(pop.getId())) {
                    throw broken(pLoc + ".id", "duplicate population id '" + pop.getId() + "'");
                }
                Criteria criteria = criteria(pop.getCriteria(), pLoc + ".criteria");
                needsCql |= criteria.language() == Language.CQL;
                Extension ref = pop.getExtensionByUrl(EXT_CRITERIA_REFERENCE);
                String criteriaReference = ref == null || ref.getValue() == null ? null : ref.getValue().primitiveValue();
                AggregateMethod aggregate = null;
                if (type == PopulationType.MEASURE_OBSERVATION) {
                    Extension agg = pop.getExtensionByUrl(EXT_AGGREGATE_METHOD);
                    if (agg == null) {
                        agg = group.getExtensionByUrl(EXT_AGGREGATE_METHOD); // an older place for it: on the group
                    }
                    aggregate = AggregateMethod.of(agg == null ? null : agg.getValue().primitiveValue());
                    if (aggregate == null) {
                        throw broken(pLoc + ".extension('" + EXT_AGGREGATE_METHOD + "')",
                                "aggregate method must be one of sum, average, count, min, max, median");
                    }
                }
                populations.add(new Population(p, pop.getId(), type, pop.getCode(), criteria, criteriaReference, aggregate));
            }
            checkPopulations(scoring, populations, gLoc);

            List<Stratifier> stratifiers = new ArrayList<>();
            for (int s = 0; s < group.getStratifier().size(); s++) {
                var strat = group.getStratifier().get(s);
                String sLoc = gLoc + ".stratifier[" + s + "]";
                boolean hasCriteria = strat.hasCriteria() && strat.getCriteria().hasExpression();
                if (hasCriteria && strat.hasComponent()) {
                    throw broken(sLoc, "a stratifier has either criteria or components, not both");
                }
                List<Component> components = new ArrayList<>();
                if (hasCriteria) {
                    components.add(new Component(strat.getId(), strat.getCode(), criteria(strat.getCriteria(), sLoc + ".criteria"),
                            domain(strat, sLoc)));
                } else {
                    for (int c = 0; c < strat.getComponent().size(); c++) {
                        var comp = strat.getComponent().get(c);
                        components.add(new Component(comp.getId(), comp.getCode(),
                                criteria(comp.getCriteria(), sLoc + ".component[" + c + "].criteria"),
                                domain(comp, sLoc + ".component[" + c + "]")));
                    }
                }
                if (components.isEmpty()) {
                    throw broken(sLoc, "stratifier without criteria or components");
                }
                stratifiers.add(new Stratifier(s, strat.getId(), strat.getCode(), List.copyOf(components), !hasCriteria, sLoc));
            }
            for (Stratifier st : stratifiers) {
                for (Component c : st.components()) {
                    needsCql |= c.criteria().language() == Language.CQL;
                }
            }
            groups.add(new Group(g, group.getId(), group.getCode(), scoring, basis, improvement, List.copyOf(populations),
                    List.copyOf(stratifiers), bounds(group)));
        }

        List<Supplemental> sdes = new ArrayList<>();
        for (int i = 0; i < measure.getSupplementalData().size(); i++) {
            var sde = measure.getSupplementalData().get(i);
            Criteria c = criteria(sde.getCriteria(), "Measure.supplementalData[" + i + "].criteria");
            needsCql |= c.language() == Language.CQL;
            sdes.add(new Supplemental(i, sde.getId(), sde.getCode(), c, domain(sde, "Measure.supplementalData[" + i + "]")));
        }

        String libraryRef = measure.getLibrary().isEmpty() ? null : measure.getLibrary().get(0).getValue();
        if (needsCql && libraryRef == null) {
            throw broken("Measure.library", "CQL criteria need a Library but the Measure names none");
        }
        return new MeasureModel(measure, libraryRef, List.copyOf(groups), List.copyOf(sdes), measureImprovement);
    }

    private static final Set<PopulationType> PROPORTION_ALLOWED = EnumSet.of(PopulationType.INITIAL_POPULATION,
            PopulationType.NUMERATOR, PopulationType.NUMERATOR_EXCLUSION, PopulationType.DENOMINATOR,
            PopulationType.DENOMINATOR_EXCLUSION, PopulationType.DENOMINATOR_EXCEPTION);
    private static final Set<PopulationType> RATIO_ALLOWED = EnumSet.of(PopulationType.INITIAL_POPULATION,
            PopulationType.NUMERATOR, PopulationType.NUMERATOR_EXCLUSION, PopulationType.DENOMINATOR,
            PopulationType.DENOMINATOR_EXCLUSION, PopulationType.MEASURE_OBSERVATION);
    private static final Set<PopulationType> CV_ALLOWED = EnumSet.of(PopulationType.INITIAL_POPULATION,
            PopulationType.MEASURE_POPULATION, PopulationType.MEASURE_POPULATION_EXCLUSION, PopulationType.MEASURE_OBSERVATION);

    private static void checkPopulations(Scoring scoring, List<Population> pops, String gLoc) {
        Set<PopulationType> allowed;
        Set<PopulationType> required;
        switch (scoring) {
            case PROPORTION -> {
                allowed = PROPORTION_ALLOWED;
                required = EnumSet.of(PopulationType.INITIAL_POPULATION, PopulationType.DENOMINATOR, PopulationType.NUMERATOR);
            }
            case RATIO -> {
                allowed = RATIO_ALLOWED;
                required = EnumSet.of(PopulationType.INITIAL_POPULATION, PopulationType.DENOMINATOR, PopulationType.NUMERATOR);
            }
            case CONTINUOUS_VARIABLE -> {
                allowed = CV_ALLOWED;
                required = EnumSet.of(PopulationType.INITIAL_POPULATION, PopulationType.MEASURE_POPULATION);
            }
            default -> {
                allowed = EnumSet.of(PopulationType.INITIAL_POPULATION);
                required = EnumSet.of(PopulationType.INITIAL_POPULATION);
            }
        }
        Set<PopulationType> seen = EnumSet.noneOf(PopulationType.class);
        for (Population p : pops) {
            String loc = gLoc + ".population[" + p.index() + "]";
            if (!allowed.contains(p.type())) {
                throw broken(loc + ".code", p.type().code + " is not allowed in a " + scoring.code + " measure");
            }
            boolean repeatable = p.type() == PopulationType.MEASURE_OBSERVATION
                    || (scoring == Scoring.RATIO && p.type() == PopulationType.INITIAL_POPULATION);
            if (!seen.add(p.type()) && !repeatable) {
                throw broken(loc + ".code", "more than one " + p.type().code + " population");
            }
            if (p.type() == PopulationType.MEASURE_OBSERVATION && scoring == Scoring.RATIO && p.criteriaReference() == null) {
                throw broken(loc + ".extension('" + EXT_CRITERIA_REFERENCE + "')",
                        "a ratio measure-observation must reference the numerator or denominator it observes");
            }
        }
        for (PopulationType r : required) {
            if (!seen.contains(r)) {
                throw broken(gLoc + ".population", "a " + scoring.code + " measure needs a " + r.code + " population");
            }
        }
        if (scoring == Scoring.RATIO) {
            checkTwoInitialPopulations(pops, gLoc);
        }
    }

    /**
     * A ratio may have two initial populations: the denominator is drawn from one and the numerator
     * from the other, each naming its own by cqfm-criteriaReference (the initial population's id).
     */
    private static void checkTwoInitialPopulations(List<Population> pops, String gLoc) {
        List<Population> ips = pops.stream().filter(p -> p.type() == PopulationType.INITIAL_POPULATION).toList();
        if (ips.size() < 2) {
            return;
        }
        if (ips.size() > 2) {
            throw broken(gLoc + ".population", "a ratio has one or two initial populations, not " + ips.size());
        }
        for (Population ip : ips) {
            if (ip.id() == null) {
                throw broken(gLoc + ".population[" + ip.index() + "].id",
                        "with two initial populations each needs an id for the numerator and denominator to reference");
            }
        }
        for (Population p : pops) {
            if (p.type() != PopulationType.NUMERATOR && p.type() != PopulationType.DENOMINATOR) {
                continue;
            }
            String loc = gLoc + ".population[" + p.index() + "].extension('" + EXT_CRITERIA_REFERENCE + "')";
            if (ips.stream().noneMatch(ip -> ip.id().equals(p.criteriaReference()))) {
                throw broken(loc, "with two initial populations the " + p.type().code
                        + " must reference one of them (" + ips.get(0).id() + ", " + ips.get(1).id() + ")");
            }
        }
    }

    /** The declared values or value-set binding of a stratifier, component or supplemental-data element. */
    private static DeclaredDomain domain(Element element, String loc) {
        List<StratumValue> declared = new ArrayList<>();
        for (Extension e : element.getExtensionsByUrl(MeasureExtensions.STRATUM_VALUE)) {
            declared.add(declaredValue(e.getValue(), loc + ".extension('" + MeasureExtensions.STRATUM_VALUE + "')"));
        }
        List<Extension> bindings = element.getExtensionsByUrl(MeasureExtensions.STRATUM_VALUE_SET);
        if (!declared.isEmpty() && !bindings.isEmpty()) {
            throw broken(loc, "declare either stratum-value or stratum-value-set, not both");
        }
        if (bindings.size() > 1) {
            throw broken(loc, "more than one stratum-value-set");
        }
        if (bindings.isEmpty()) {
            return declared.isEmpty() ? DeclaredDomain.NONE : new DeclaredDomain(declared, null);
        }
        if (!(bindings.get(0).getValue() instanceof PrimitiveType<?> p) || !p.hasValue() || p.getValueAsString().isBlank()) {
            throw broken(loc + ".extension('" + MeasureExtensions.STRATUM_VALUE_SET + "')", "stratum-value-set needs a canonical URL");
        }
        return new DeclaredDomain(List.of(), p.getValueAsString());
    }

    private static StratumValue declaredValue(Type v, String loc) {
        Coding coding = v instanceof Coding c ? c
                : v instanceof CodeableConcept cc && cc.hasCoding() ? cc.getCodingFirstRep() : null;
        String code = coding != null ? coding.getCode()
                : v instanceof PrimitiveType<?> p && p.hasValue() ? p.getValueAsString() : null;
        if (code == null || code.isBlank()) {
            throw broken(loc, "stratum-value must be a Coding, CodeableConcept, code, string, boolean or integer with a value");
        }
        return coding != null ? StratumValue.code(coding.getSystem(), code, coding.getDisplay()) : StratumValue.text(code);
    }

    /** The group's declared per-subject bounds; an invalid declaration counts as none (DP then refuses the group). */
    private static SubjectBounds bounds(Measure.MeasureGroupComponent group) {
        Integer maxResources = null;
        if (group.getExtensionByUrl(MeasureExtensions.DP_MAX_RESOURCES) != null
                && group.getExtensionByUrl(MeasureExtensions.DP_MAX_RESOURCES).getValue() instanceof IntegerType n
                && n.getValue() != null && n.getValue() >= 1) {
            maxResources = n.getValue();
        }
        Double maxObservation = null;
        if (group.getExtensionByUrl(MeasureExtensions.DP_MAX_OBSERVATION) != null
                && group.getExtensionByUrl(MeasureExtensions.DP_MAX_OBSERVATION).getValue() instanceof DecimalType d
                && d.getValue() != null && d.getValue().doubleValue() > 0 && Double.isFinite(d.getValue().doubleValue())) {
            maxObservation = d.getValue().doubleValue();
        }
        return new SubjectBounds(maxResources, maxObservation);
    }

    private static Criteria criteria(Expression e, String loc) {
        if (e == null || !e.hasExpression() || e.getExpression().isBlank()) {
            throw broken(loc + ".expression", "criteria expression is missing");
        }
        Language lang = Language.of(e.getLanguage());
        if (lang == null) {
            throw broken(loc + ".language", "unsupported criteria language '" + e.getLanguage()
                    + "' (text/cql, text/cql-identifier, text/cql.identifier or text/fhirpath)");
        }
        return new Criteria(lang, e.getExpression().trim(), loc);
    }

    private static Scoring scoring(CodeableConcept cc, String loc) {
        if (cc == null || cc.isEmpty()) {
            return null;
        }
        return cc.getCoding().stream()
                .map(c -> Scoring.of(c.getCode()))
                .filter(s -> s != null)
                .findFirst()
                .orElseThrow(() -> broken(loc, "unknown scoring (proportion, ratio, continuous-variable or cohort)"));
    }

    private static String basis(Extension ext, String loc) {
        if (ext == null) {
            return null;
        }
        Type v = ext.getValue();
        String code = v == null ? null : v.primitiveValue();
        if (code == null || code.isBlank()) {
            throw broken(loc, "cqfm-populationBasis without a value");
        }
        return "boolean".equals(code) ? null : code;
    }

    private static String improvementNotation(CodeableConcept cc, String loc) {
        if (cc == null || cc.isEmpty()) {
            return null;
        }
        for (var c : cc.getCoding()) {
            if ("increase".equals(c.getCode()) || "decrease".equals(c.getCode())) {
                if (c.hasSystem() && !IMPROVEMENT_SYSTEM.equals(c.getSystem())) {
                    break;
                }
                return c.getCode();
            }
        }
        throw broken(loc, "improvementNotation must be increase or decrease from " + IMPROVEMENT_SYSTEM);
    }
}
