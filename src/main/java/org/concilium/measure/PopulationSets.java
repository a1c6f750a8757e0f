package org.concilium.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.measure.MeasureModel.Group;
import org.concilium.measure.MeasureModel.Population;
import org.concilium.measure.MeasureModel.PopulationType;

/** The CQF population set rules, applied to one subject's members (keys to resources), in place. */
final class PopulationSets {

    private PopulationSets() {}

    /** The CQF set rules (cqf-fhir-cr applyScoringSetMembership): see the README of the test data. */
    static void applySetRules(Group g, List<Map<String, Object>> m) {
        int ip = idx(g, PopulationType.INITIAL_POPULATION);
        if (g.scoring() == Scoring.PROPORTION || g.scoring() == Scoring.RATIO) {
            int den = idx(g, PopulationType.DENOMINATOR);
            int num = idx(g, PopulationType.NUMERATOR);
            int denex = idx(g, PopulationType.DENOMINATOR_EXCLUSION);
            int denexcep = idx(g, PopulationType.DENOMINATOR_EXCEPTION);
            int numex = idx(g, PopulationType.NUMERATOR_EXCLUSION);
            boolean twoIps = g.twoInitialPopulations();
            if (!twoIps) {
                retain(m, den, ip);
                retain(m, num, den);
            } else {
                // a ratio over two initial populations: each side within its own (cqfm-criteriaReference)
                retain(m, den, g.initialPopulationOf(g.first(PopulationType.DENOMINATOR)).index());
                retain(m, num, g.initialPopulationOf(g.first(PopulationType.NUMERATOR)).index());
            }
            retain(m, denex, den);
            // with two initial populations the numerator is not drawn from the denominator: its exclusions stay its own
            if (!twoIps && num >= 0 && denex >= 0) {
                m.get(num).keySet().removeAll(m.get(denex).keySet());
            }
            retain(m, numex, num);
            if (denexcep >= 0) {
                retain(m, denexcep, den);
                if (num >= 0) {
                    m.get(denexcep).keySet().removeAll(m.get(num).keySet());
                }
            }
        } else if (g.scoring() == Scoring.CONTINUOUS_VARIABLE) {
            int mp = idx(g, PopulationType.MEASURE_POPULATION);
            int mpex = idx(g, PopulationType.MEASURE_POPULATION_EXCLUSION);
            retain(m, mp, ip);
            retain(m, mpex, mp);
        }
    }

    private static int idx(Group g, PopulationType t) {
        Population p = g.first(t);
        return p == null ? -1 : p.index();
    }

    private static void retain(List<Map<String, Object>> m, int target, int within) {
        if (target >= 0 && within >= 0) {
            m.get(target).keySet().retainAll(m.get(within).keySet());
        }
    }

    /** Members a measure-observation observes: CV → MP minus MPEX; ratio → the referenced population net of its exclusion. */
    static Map<String, Object> observed(Group g, Population mo, List<Map<String, Object>> m) {
        PopulationType base = PopulationType.MEASURE_POPULATION;
        PopulationType exclusion = PopulationType.MEASURE_POPULATION_EXCLUSION;
        if (mo.criteriaReference() != null) {
            for (Population p : g.populations()) {
                if (mo.criteriaReference().equals(p.id())) {
                    base = p.type();
                }
            }
            exclusion = switch (base) {
                case NUMERATOR -> PopulationType.NUMERATOR_EXCLUSION;
                case DENOMINATOR -> PopulationType.DENOMINATOR_EXCLUSION;
                case MEASURE_POPULATION -> PopulationType.MEASURE_POPULATION_EXCLUSION;
                default -> null;
            };
        }
        Population b = g.first(base);
        if (b == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>(m.get(b.index()));
        Population x = exclusion == null ? null : g.first(exclusion);
        if (x != null) {
            out.keySet().removeAll(m.get(x.index()).keySet());
        }
        return out;
    }

}
