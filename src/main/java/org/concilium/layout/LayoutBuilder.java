package org.concilium.layout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.concilium.measure.AggregateMethod;
import org.concilium.measure.MeasureCanonical;
import org.concilium.measure.Scoring;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Measure.MeasureGroupComponent;
import org.hl7.fhir.r4.model.Measure.MeasureGroupPopulationComponent;
import org.hl7.fhir.r4.model.Measure.MeasureGroupStratifierComponent;
import org.hl7.fhir.r4.model.Measure.MeasureGroupStratifierComponentComponent;
import org.hl7.fhir.r4.model.Measure.MeasureSupplementalDataComponent;
import org.hl7.fhir.r4.model.PrimitiveType;

/** Reads a Measure into layout records; all structural validation of the Measure happens here. */
final class LayoutBuilder {
    static final String EXT_SCORING = "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-scoring";
    static final String EXT_AGGREGATE = "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-aggregateMethod";
    /** Strata per stratifier beyond which a component cross product is refused. */
    static final int MAX_STRATA = 10_000;

    private final ValueDomainResolver domains;

    LayoutBuilder(ValueSetSource valueSets) {
        this.domains = new ValueDomainResolver(valueSets);
    }

    MeasureLayout build(Measure m) {
        if (!m.hasGroup()) throw new LayoutException("Measure has no group");
        String canonical = MeasureCanonical.of(m);
        List<GroupLayout> groups = new ArrayList<>();
        Set<String> groupKeys = new HashSet<>();
        for (int i = 0; i < m.getGroup().size(); i++) {
            GroupLayout g = group(m, m.getGroup().get(i), i);
            if (!groupKeys.add(g.key())) throw new LayoutException("duplicate group key " + g.key());
            groups.add(g);
        }
        List<SupplementalLayout> sdes = new ArrayList<>();
        Set<String> sdeKeys = new HashSet<>();
        for (int i = 0; i < m.getSupplementalData().size(); i++) {
            MeasureSupplementalDataComponent sd = m.getSupplementalData().get(i);
            String key = keyOf(sd.getId(), sd.getCode(), i);
            if (!sdeKeys.add(key)) throw new LayoutException("duplicate supplemental data key " + key);
            ValueDomain d = domains.resolve(sd, sd.getCode(), sd.getCriteria(), "supplementalData " + key);
            sdes.add(new SupplementalLayout(key, sd.getId(), sd.getCode(), d));
        }
        return new MeasureLayout(canonical, groups, sdes);
    }

    private GroupLayout group(Measure m, MeasureGroupComponent g, int index) {
        String key = g.hasId() ? g.getId() : "#" + (index + 1);
        Scoring scoring = scoring(m, g, key);
        List<PopulationLayout> pops = populations(g, key);
        requirePopulations(scoring, pops, key);
        AggregateMethod agg = scoring == Scoring.CONTINUOUS_VARIABLE ? aggregate(g) : null;
        List<StratifierLayout> strats = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < g.getStratifier().size(); i++) {
            StratifierLayout s = stratifier(g.getStratifier().get(i), i, key);
            if (!keys.add(s.key())) throw new LayoutException("group " + key + ": duplicate stratifier key " + s.key());
            strats.add(s);
        }
        return new GroupLayout(key, g.getId(), g.getCode(), scoring, agg, pops, strats);
    }

    private static Scoring scoring(Measure m, MeasureGroupComponent g, String key) {
        Extension ext = g.getExtensionByUrl(EXT_SCORING);
        if (ext != null && ext.getValue() instanceof CodeableConcept cc && cc.hasCoding()) {
            return scoring(cc.getCodingFirstRep().getCode());
        }
        if (m.hasScoring() && m.getScoring().hasCoding()) {
            return scoring(m.getScoring().getCodingFirstRep().getCode());
        }
        throw new LayoutException("group " + key + ": no scoring on the Measure or the group");
    }

    private static List<PopulationLayout> populations(MeasureGroupComponent g, String groupKey) {
        Map<String, Integer> codeCount = new HashMap<>();
        for (MeasureGroupPopulationComponent p : g.getPopulation()) {
            codeCount.merge(populationCode(p, groupKey), 1, Integer::sum);
        }
        List<PopulationLayout> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (MeasureGroupPopulationComponent p : g.getPopulation()) {
            String code = populationCode(p, groupKey);
            String key = code;
            if (codeCount.get(code) > 1) {
                if (!p.hasId()) {
                    throw new LayoutException("group " + groupKey + ": populations sharing code " + code + " need ids");
                }
                key = code + ":" + p.getId();
            }
            if (!keys.add(key)) throw new LayoutException("group " + groupKey + ": duplicate population " + key);
            out.add(new PopulationLayout(key, code, p.getId()));
        }
        return out;
    }

    static String populationCode(MeasureGroupPopulationComponent p, String groupKey) {
        if (p.hasCode() && p.getCode().hasCoding() && p.getCode().getCodingFirstRep().hasCode()) {
            return p.getCode().getCodingFirstRep().getCode();
        }
        throw new LayoutException("group " + groupKey + ": population without a code");
    }

    private static void requirePopulations(Scoring scoring, List<PopulationLayout> pops, String key) {
        Set<String> codes = new HashSet<>();
        pops.forEach(p -> codes.add(p.code()));
        List<String> needed = switch (scoring) {
            case PROPORTION, RATIO -> List.of(PopulationCodes.NUMERATOR, PopulationCodes.DENOMINATOR);
            case CONTINUOUS_VARIABLE -> List.of(PopulationCodes.MEASURE_POPULATION);
            case COHORT -> List.of(PopulationCodes.INITIAL_POPULATION);
        };
        for (String n : needed) {
            if (!codes.contains(n)) throw new LayoutException("group " + key + " (" + scoring.code() + ") has no " + n);
        }
    }

    private static Scoring scoring(String code) {
        Scoring s = Scoring.of(code);
        if (s == null) throw new LayoutException("unsupported measure scoring: " + code);
        return s;
    }

    private static AggregateMethod aggregate(MeasureGroupComponent g) {
        Extension ext = g.getExtensionByUrl(EXT_AGGREGATE);
        for (MeasureGroupPopulationComponent p : g.getPopulation()) {
            Extension pe = p.getExtensionByUrl(EXT_AGGREGATE);
            if (pe != null) ext = pe;
        }
        if (ext == null) return AggregateMethod.SUM;
        if (!(ext.getValue() instanceof PrimitiveType<?> v) || !v.hasValue()) {
            throw new LayoutException("cqfm-aggregateMethod needs a code");
        }
        AggregateMethod method = AggregateMethod.of(v.getValueAsString());
        if (method == null) {
            throw new LayoutException("unknown continuous-variable aggregate method: " + v.getValueAsString());
        }
        if (!method.summable()) {
            throw new LayoutException("aggregate method '" + v.getValueAsString()
                    + "' cannot be computed from network sums; only sum, average and count are supported");
        }
        return method;
    }

    private StratifierLayout stratifier(MeasureGroupStratifierComponent s, int index, String groupKey) {
        String key = keyOf(s.getId(), s.getCode(), index);
        String what = "group " + groupKey + " stratifier " + key;
        List<String> componentKeys = new ArrayList<>();
        List<ValueDomain> ds = new ArrayList<>();
        if (s.hasComponent()) {
            if (s.hasCriteria()) throw new LayoutException(what + ": has both criteria and components");
            for (int i = 0; i < s.getComponent().size(); i++) {
                MeasureGroupStratifierComponentComponent c = s.getComponent().get(i);
                String ck = keyOf(null, c.getCode(), i);
                if (componentKeys.contains(ck)) throw new LayoutException(what + ": duplicate component " + ck);
                componentKeys.add(ck);
                ds.add(domains.resolve(c, c.getCode(), c.getCriteria(), what + " component " + ck));
            }
        } else {
            ds.add(domains.resolve(s, s.getCode(), s.getCriteria(), what));
        }
        return new StratifierLayout(key, s.getId(), s.getCode(), componentKeys, ds, strata(ds, what));
    }

    /** Cross product in component order, the last component varying fastest, then "other". */
    private static List<Stratum> strata(List<ValueDomain> ds, String what) {
        long n = 1;
        for (ValueDomain d : ds) n *= Math.max(1, d.size());
        if (n > MAX_STRATA) throw new LayoutException(what + ": " + n + " strata exceed " + MAX_STRATA);
        List<Stratum> out = new ArrayList<>();
        if (ds.stream().allMatch(d -> d.size() > 0)) {
            product(ds, 0, new ArrayList<>(), new ArrayList<>(), out);
        }
        out.add(new Stratum(OtherBucket.SLOT_NAME, List.of()));
        return out;
    }

    private static void product(List<ValueDomain> ds, int k, List<StratumValue> vals, List<String> names,
            List<Stratum> out) {
        if (k == ds.size()) {
            out.add(new Stratum(String.join("&", names), vals));
            return;
        }
        ValueDomain d = ds.get(k);
        for (int i = 0; i < d.size(); i++) {
            vals.add(d.values().get(i));
            names.add(d.valueName(i));
            product(ds, k + 1, vals, names, out);
            vals.remove(vals.size() - 1);
            names.remove(names.size() - 1);
        }
    }

    /** id, else code text, else first coding code, else the 1-based position. */
    static String keyOf(String id, CodeableConcept code, int index) {
        if (id != null && !id.isBlank()) return id;
        if (code != null && code.hasText() && !code.getText().isBlank()) return code.getText();
        if (code != null && code.hasCoding() && code.getCodingFirstRep().hasCode()) return code.getCodingFirstRep().getCode();
        return "#" + (index + 1);
    }
}
