package org.concilium.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.concilium.measure.MeasureModel.Group;
import org.concilium.measure.MeasureModel.Stratifier;
import org.concilium.measure.SubjectOutcome.GroupOutcome;

/**
 * Running totals of a report, fed one {@link SubjectOutcome} at a time: linear in patients and
 * population members, no cross-patient set operations (members of different patients are disjoint).
 */
final class ReportTally {

    static final class Cell {
        final long[] counts;
        final List<List<Double>> observations;
        final List<List<String>> subjects;

        Cell(int populations, boolean keepSubjects) {
            counts = new long[populations];
            observations = new ArrayList<>();
            subjects = keepSubjects ? new ArrayList<>() : null;
            for (int i = 0; i < populations; i++) {
                observations.add(new ArrayList<>());
                if (keepSubjects) {
                    subjects.add(new ArrayList<>());
                }
            }
        }
    }

    static final class StratifierTally {
        final Map<List<StratumValue>, Cell> strata = new LinkedHashMap<>();
        String error;
    }

    static final class GroupTally {
        final Group group;
        final Cell total;
        final List<StratifierTally> stratifiers = new ArrayList<>();

        GroupTally(Group group, boolean keepSubjects) {
            this.group = group;
            this.total = new Cell(group.populations().size(), keepSubjects);
            for (Stratifier ignored : group.stratifiers()) {
                stratifiers.add(new StratifierTally());
            }
        }
    }

    final MeasureModel model;
    final List<GroupTally> groups = new ArrayList<>();
    final List<Map<StratumValue, Long>> supplemental = new ArrayList<>();
    private final boolean keepSubjects;
    long subjects;

    ReportTally(MeasureModel model, boolean keepSubjects) {
        this.model = model;
        this.keepSubjects = keepSubjects;
        model.groups().forEach(g -> groups.add(new GroupTally(g, keepSubjects)));
        model.supplementalData().forEach(s -> supplemental.add(new LinkedHashMap<>()));
    }

    void add(SubjectOutcome outcome) {
        subjects++;
        for (int g = 0; g < groups.size(); g++) {
            GroupTally tally = groups.get(g);
            GroupOutcome o = outcome.groups().get(g);
            int populations = tally.group.populations().size();
            for (int p = 0; p < populations; p++) {
                Set<String> members = o.members().get(p);
                tally.total.counts[p] += members.size();
                if (tally.total.subjects != null) {
                    tally.total.subjects.get(p).addAll(members);
                }
                Map<String, Double> obs = o.observations().get(p);
                if (obs != null) {
                    tally.total.observations.get(p).addAll(obs.values());
                }
            }
            for (int s = 0; s < tally.stratifiers.size(); s++) {
                StratifierTally st = tally.stratifiers.get(s);
                var so = o.strata().get(s);
                if (st.error != null) {
                    continue;
                }
                if (so.error() != null) {
                    st.error = so.error();
                    st.strata.clear();
                    continue;
                }
                for (int p = 0; p < populations; p++) {
                    Map<String, Double> obs = o.observations().get(p);
                    for (String member : o.members().get(p)) {
                        for (List<StratumValue> stratum : so.strataOf(member)) {
                            Cell cell = st.strata.computeIfAbsent(stratum, k -> new Cell(populations, false));
                            cell.counts[p]++;
                            if (obs != null && obs.containsKey(member)) {
                                cell.observations.get(p).add(obs.get(member));
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < supplemental.size(); i++) {
            for (StratumValue v : outcome.supplemental().get(i)) {
                supplemental.get(i).merge(v, 1L, Long::sum);
            }
        }
    }
}
