package org.concilium.measure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.concilium.measure.SubjectOutcome.GroupOutcome;
import org.concilium.measure.SubjectOutcome.StratifierOutcome;

/**
 * How much one subject may contribute to a report, enforced per subject before anything is summed
 * (differential privacy: the noise is sized for a declared sensitivity, so what a subject can
 * change must really stay within it). {@link #NONE} leaves outcomes as they are (local reports).
 *
 * <p>When clipping, per subject:
 * <ul>
 * <li>a group with {@code maxResources} &gt; 0 keeps at most that many of the subject's resources:
 *     the first in key order ({@code Type/id}) of all its populations' members, and every population
 *     keeps only those (so DEN ⊆ IP and the like still hold per subject);</li>
 * <li>a group with {@code maxObservation} &gt; 0 has each observation clamped to
 *     [−maxObservation, maxObservation];</li>
 * <li>each member falls into at most one stratum per stratifier, and each supplemental-data element
 *     has at most one value per subject (the first): the layout's sensitivity counts one slot each.</li>
 * </ul>
 *
 * @param groups per group of the Measure, in order; empty for {@link #NONE}
 * @param clip false for {@link #NONE}
 */
public record ContributionBounds(List<GroupBound> groups, boolean clip) {

    /** No clipping: the exact local report. */
    public static final ContributionBounds NONE = new ContributionBounds(List.of(), false);

    /**
     * @param maxResources at most this many resources of one subject in a population; 0 for no bound
     *     (a boolean-basis group, one member per population anyway)
     * @param maxObservation |observation| at most this; 0 for no bound
     */
    public record GroupBound(int maxResources, double maxObservation) {
        public GroupBound {
            if (maxResources < 0 || !(maxObservation >= 0) || Double.isInfinite(maxObservation)) {
                throw new IllegalArgumentException("bounds must be finite and non-negative");
            }
        }
    }

    public ContributionBounds {
        groups = List.copyOf(groups);
    }

    /** Clipping to these per-group bounds (one per group of the Measure). */
    public static ContributionBounds clipping(List<GroupBound> groups) {
        return new ContributionBounds(groups, true);
    }

    SubjectOutcome apply(SubjectOutcome outcome) {
        if (!clip) {
            return outcome;
        }
        if (groups.size() != outcome.groups().size()) {
            throw new IllegalStateException("bounds for " + groups.size() + " groups, outcome has " + outcome.groups().size());
        }
        List<GroupOutcome> clipped = new ArrayList<>(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            clipped.add(clip(outcome.groups().get(g), groups.get(g)));
        }
        List<List<StratumValue>> sdes = new ArrayList<>(outcome.supplemental().size());
        for (List<StratumValue> values : outcome.supplemental()) {
            sdes.add(values.size() <= 1 ? values : List.of(values.get(0)));
        }
        return new SubjectOutcome(outcome.patientId(), clipped, sdes);
    }

    private static GroupOutcome clip(GroupOutcome o, GroupBound bound) {
        Set<String> kept = null; // null: every member stays
        if (bound.maxResources() > 0) {
            TreeSet<String> all = new TreeSet<>();
            o.members().forEach(all::addAll);
            if (all.size() > bound.maxResources()) {
                kept = new HashSet<>();
                for (String key : all) {
                    if (kept.size() == bound.maxResources()) {
                        break;
                    }
                    kept.add(key);
                }
            }
        }
        List<Set<String>> members = new ArrayList<>(o.members().size());
        for (Set<String> population : o.members()) {
            members.add(kept == null ? population : keep(population, kept));
        }
        Map<Integer, Map<String, Double>> observations = new HashMap<>();
        for (var e : o.observations().entrySet()) {
            Map<String, Double> values = new HashMap<>();
            for (var v : e.getValue().entrySet()) {
                if (kept == null || kept.contains(v.getKey())) {
                    values.put(v.getKey(), clamp(v.getValue(), bound.maxObservation()));
                }
            }
            observations.put(e.getKey(), values);
        }
        List<StratifierOutcome> strata = new ArrayList<>(o.strata().size());
        for (StratifierOutcome s : o.strata()) {
            strata.add(oneStratum(s));
        }
        return new GroupOutcome(members, observations, strata);
    }

    private static Set<String> keep(Set<String> population, Set<String> kept) {
        Set<String> out = new HashSet<>();
        for (String m : population) {
            if (kept.contains(m)) {
                out.add(m);
            }
        }
        return Set.copyOf(out);
    }

    private static Double clamp(Double v, double max) {
        if (max == 0 || v == null || v.isNaN()) {
            return v;
        }
        return Math.max(-max, Math.min(max, v));
    }

    private static StratifierOutcome oneStratum(StratifierOutcome s) {
        if (s.error() != null) {
            return s;
        }
        Map<String, List<List<StratumValue>>> perMember = null;
        if (s.perMember() != null) {
            perMember = new HashMap<>();
            for (var e : s.perMember().entrySet()) {
                perMember.put(e.getKey(), first(e.getValue()));
            }
        }
        return new StratifierOutcome(s.patientLevel() == null ? null : first(s.patientLevel()), perMember, null);
    }

    private static List<List<StratumValue>> first(List<List<StratumValue>> strata) {
        return strata.size() <= 1 ? strata : List.of(strata.get(0));
    }
}
