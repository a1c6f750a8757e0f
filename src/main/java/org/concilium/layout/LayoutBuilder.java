package org.concilium.layout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.concilium.measure.AggregateMethod;
import org.concilium.measure.MeasureModel;
import org.concilium.measure.MeasureModel.Component;
import org.concilium.measure.MeasureModel.Group;
import org.concilium.measure.MeasureModel.Population;
import org.concilium.measure.MeasureModel.PopulationType;
import org.concilium.measure.MeasureModel.Supplemental;
import org.concilium.measure.MeasureScore;
import org.concilium.measure.Scoring;
import org.concilium.measure.StratumValue;
import org.hl7.fhir.r4.model.CodeableConcept;

/**
 * Derives a layout from the {@link MeasureModel} (which has checked the Measure already): slot keys
 * for groups, populations, strata and supplemental data, value domains, and the refusals that are
 * the network's own (what cannot be computed from sums).
 */
final class LayoutBuilder {
    /** Strata per stratifier beyond which a component cross product is refused. */
    static final int MAX_STRATA = 10_000;

    private final ValueDomainResolver domains;

    LayoutBuilder(ValueSetSource valueSets) {
        this.domains = new ValueDomainResolver(valueSets);
    }

    MeasureLayout build(MeasureModel m) {
        List<GroupLayout> groups = new ArrayList<>();
        Set<String> groupKeys = new HashSet<>();
        for (Group g : m.groups()) {
            GroupLayout gl = group(g);
            if (!groupKeys.add(gl.key())) throw new LayoutException("duplicate group key " + gl.key());
            groups.add(gl);
        }
        List<SupplementalLayout> sdes = new ArrayList<>();
        Set<String> sdeKeys = new HashSet<>();
        for (Supplemental sd : m.supplementalData()) {
            String key = keyOf(sd.id(), sd.code(), sd.index());
            if (!sdeKeys.add(key)) throw new LayoutException("duplicate supplemental data key " + key);
            ValueDomain d = domains.resolveSupplemental(sd.domain(), sd.code(), sd.criteria().expression(), "supplementalData " + key);
            sdes.add(new SupplementalLayout(key, sd.id(), sd.code(), sd.criteria().expression(), d));
        }
        return new MeasureLayout(m, groups, sdes);
    }

    private GroupLayout group(Group g) {
        String key = g.id() != null ? g.id() : "#" + (g.index() + 1);
        List<PopulationLayout> pops = populations(g, key);
        AggregateMethod agg = null;
        if (g.scoring() == Scoring.CONTINUOUS_VARIABLE) {
            Population mo = g.first(PopulationType.MEASURE_OBSERVATION);
            agg = mo == null ? AggregateMethod.SUM : mo.aggregateMethod();
            if (!agg.summable()) {
                throw new LayoutException("aggregate method '" + agg.code()
                        + "' cannot be computed from network sums; only sum, average and count are supported");
            }
        }
        if (g.scoring() == Scoring.RATIO && (MeasureScore.observationOf(g, PopulationType.NUMERATOR) != null
                || MeasureScore.observationOf(g, PopulationType.DENOMINATOR) != null)) {
            // its score is a ratio of two observation aggregates, which no site's summary report carries
            throw new LayoutException("group " + key + ": a ratio of measure observations cannot be computed from network sums");
        }
        List<StratifierLayout> strats = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (MeasureModel.Stratifier s : g.stratifiers()) {
            StratifierLayout sl = stratifier(s, key);
            if (!keys.add(sl.key())) throw new LayoutException("group " + key + ": duplicate stratifier key " + sl.key());
            strats.add(sl);
        }
        return new GroupLayout(key, g, agg, pops, strats);
    }

    private static List<PopulationLayout> populations(Group g, String groupKey) {
        Map<String, Integer> codeCount = new HashMap<>();
        for (Population p : g.populations()) codeCount.merge(p.type().code(), 1, Integer::sum);
        List<PopulationLayout> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Population p : g.populations()) {
            String code = p.type().code();
            String key = code;
            if (codeCount.get(code) > 1) {
                if (p.id() == null) {
                    throw new LayoutException("group " + groupKey + ": populations sharing code " + code + " need ids");
                }
                key = code + ":" + p.id();
            }
            if (!keys.add(key)) throw new LayoutException("group " + groupKey + ": duplicate population " + key);
            out.add(new PopulationLayout(key, p));
        }
        return out;
    }

    private StratifierLayout stratifier(MeasureModel.Stratifier s, String groupKey) {
        String key = keyOf(s.id(), s.code(), s.index());
        String what = "group " + groupKey + " stratifier " + key;
        List<String> componentKeys = new ArrayList<>();
        List<ValueDomain> ds = new ArrayList<>();
        if (s.componentForm()) {
            for (int i = 0; i < s.components().size(); i++) {
                Component c = s.components().get(i);
                String ck = keyOf(null, c.code(), i);
                if (componentKeys.contains(ck)) throw new LayoutException(what + ": duplicate component " + ck);
                componentKeys.add(ck);
                ds.add(domains.resolve(c.domain(), c.code(), c.criteria().expression(), what + " component " + ck));
            }
        } else {
            Component c = s.components().get(0);
            ds.add(domains.resolve(c.domain(), c.code(), c.criteria().expression(), what));
        }
        return new StratifierLayout(key, s.id(), s.code(), componentKeys, ds, strata(ds, what));
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
