package org.concilium.privacy;

import static org.concilium.layout.PopulationCodes.DENOMINATOR;
import static org.concilium.layout.PopulationCodes.DENOMINATOR_EXCEPTION;
import static org.concilium.layout.PopulationCodes.DENOMINATOR_EXCLUSION;
import static org.concilium.layout.PopulationCodes.INITIAL_POPULATION;
import static org.concilium.layout.PopulationCodes.MEASURE_POPULATION;
import static org.concilium.layout.PopulationCodes.MEASURE_POPULATION_EXCLUSION;
import static org.concilium.layout.PopulationCodes.NUMERATOR;
import static org.concilium.layout.PopulationCodes.NUMERATOR_EXCLUSION;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.concilium.layout.GroupLayout;
import org.concilium.measure.Scoring;
import org.concilium.layout.MeasureLayout;
import org.concilium.layout.MeasureScoring;
import org.concilium.layout.ReportExtensions;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupComponent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * Small-cell suppression of a decoded network report (docs/privacy.md):
 * <ol>
 *   <li>primary: every count in 1..k−1 is masked (populations, strata, supplemental-data values);</li>
 *   <li>hierarchy: within a group or stratum, when a child population is visible and its parent minus it is in
 *       1..k−1 (e.g. DEN − NUM), the child is masked so the small difference cannot be derived;</li>
 *   <li>complementary: along a line whose total is derivable (one population across the strata of a stratifier,
 *       the values of a supplemental-data element), while one cell alone is masked or the masked cells sum to
 *       less than k, the smallest visible cell of the line is masked too;</li>
 *   <li>scores: a score (and a continuous-variable sum/count) is withheld when a population it is computed from is
 *       masked, or its observation count is in 1..k−1.</li>
 * </ol>
 * Rules 2 and 3 run to a fixpoint. A masked count loses its value and carries the {@code data-absent-reason}
 * extension with {@code masked}; a masked SDE Observation gets {@code dataAbsentReason = masked}.
 */
public final class SmallCellSuppression {
    public static final String DATA_ABSENT_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
    public static final String MASKED = "masked";

    private final int k;

    public SmallCellSuppression(int k) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1");
        this.k = k;
    }

    public SmallCellSuppression(ReleasePolicy policy) {
        this(policy.k());
    }

    /** Returns a suppressed copy of {@code decoded} (a report produced by {@code layout.decode}). */
    public MeasureReport apply(MeasureReport decoded, MeasureLayout layout) {
        MeasureReport r = decoded.copy();
        if (r.getGroup().size() != layout.groups().size()) {
            throw new IllegalArgumentException("report has " + r.getGroup().size() + " groups, layout " + layout.groups().size());
        }
        List<Row> rows = new ArrayList<>();
        List<List<Cell>> lines = new ArrayList<>();
        for (int gi = 0; gi < r.getGroup().size(); gi++) collectGroup(r.getGroup().get(gi), layout.groups().get(gi), rows, lines);
        lines.addAll(supplementalLines(r));

        Set<Cell> masked = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Row row : rows) for (Cell c : row.cells.values()) if (small(c.value)) masked.add(c);
        for (List<Cell> line : lines) for (Cell c : line) if (small(c.value)) masked.add(c);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Row row : rows) changed |= hierarchy(row, masked);
            for (List<Cell> line : lines) changed |= complementary(line, masked);
        }
        masked.forEach(Cell::mask);
        for (Row row : rows) maskScore(row, masked);
        return r;
    }

    /** True when a count element has been masked by suppression. */
    public static boolean isMasked(IntegerType count) {
        Extension e = count.getExtensionByUrl(ReportExtensions.DATA_ABSENT_REASON);
        return e != null && MASKED.equals(e.getValue().primitiveValue()) && !count.hasValue();
    }

    private boolean small(long v) {
        return v >= 1 && v <= k - 1;
    }

    private void collectGroup(MeasureReportGroupComponent rg, GroupLayout g, List<Row> rows, List<List<Cell>> lines) {
        Row groupRow = new Row(g.scoring(), rg);
        rg.getPopulation().forEach(p -> groupRow.add(p.getCode(), p.getCountElement()));
        rows.add(groupRow);
        for (MeasureReport.MeasureReportGroupStratifierComponent rs : rg.getStratifier()) {
            Map<String, List<Cell>> byPopulation = new LinkedHashMap<>();
            for (StratifierGroupComponent st : rs.getStratum()) {
                Row row = new Row(g.scoring(), st);
                st.getPopulation().forEach(p -> row.add(p.getCode(), p.getCountElement()));
                rows.add(row);
                row.cells.forEach((code, cell) -> byPopulation.computeIfAbsent(code, x -> new ArrayList<>()).add(cell));
            }
            lines.addAll(byPopulation.values());
        }
    }

    /** One line per supplemental-data element: its values' counts (contained Observations). */
    private static java.util.Collection<List<Cell>> supplementalLines(MeasureReport r) {
        Map<String, Observation> contained = new LinkedHashMap<>();
        for (var res : r.getContained()) {
            if (res instanceof Observation o) contained.put("#" + o.getIdElement().getIdPart().replace("#", ""), o);
        }
        Map<String, List<Cell>> bySde = new LinkedHashMap<>();
        for (Extension e : r.getExtensionsByUrl(ReportExtensions.SUPPLEMENTAL_DATA)) {
            if (!(e.getValue() instanceof Reference ref)) continue;
            Extension crit = ref.getExtensionByUrl(ReportExtensions.CRITERIA_REFERENCE);
            String sde = crit == null ? "" : crit.getValue().primitiveValue();
            Observation o = contained.get(ref.getReference());
            if (o != null && o.getValue() instanceof IntegerType it && it.hasValue()) {
                bySde.computeIfAbsent(sde, x -> new ArrayList<>()).add(new Cell(o));
            }
        }
        return bySde.values();
    }

    private boolean hierarchy(Row row, Set<Cell> masked) {
        boolean changed = false;
        for (String[] pair : pairs(row.scoring)) {
            Cell parent = row.cells.get(pair[0]);
            Cell child = row.cells.get(pair[1]);
            if (parent == null || child == null || masked.contains(parent) || masked.contains(child)) continue;
            if (small(parent.value - child.value)) changed |= masked.add(child);
        }
        return changed;
    }

    private static List<String[]> pairs(Scoring scoring) {
        return switch (scoring) {
            case PROPORTION -> List.of(new String[] {INITIAL_POPULATION, DENOMINATOR}, new String[] {DENOMINATOR, NUMERATOR},
                    new String[] {DENOMINATOR, DENOMINATOR_EXCLUSION}, new String[] {DENOMINATOR, DENOMINATOR_EXCEPTION},
                    new String[] {NUMERATOR, NUMERATOR_EXCLUSION});
            case RATIO -> List.of(new String[] {INITIAL_POPULATION, DENOMINATOR}, new String[] {INITIAL_POPULATION, NUMERATOR},
                    new String[] {DENOMINATOR, DENOMINATOR_EXCLUSION}, new String[] {NUMERATOR, NUMERATOR_EXCLUSION});
            case CONTINUOUS_VARIABLE -> List.of(new String[] {INITIAL_POPULATION, MEASURE_POPULATION},
                    new String[] {MEASURE_POPULATION, MEASURE_POPULATION_EXCLUSION});
            case COHORT -> List.of();
        };
    }

    private boolean complementary(List<Cell> line, Set<Cell> masked) {
        boolean changed = false;
        while (true) {
            long sum = 0;
            int n = 0;
            Cell smallest = null;
            for (Cell c : line) {
                if (masked.contains(c)) {
                    sum += c.value;
                    n++;
                } else if (smallest == null || c.value < smallest.value) {
                    smallest = c;
                }
            }
            if (n == 0 || (n >= 2 && sum >= k) || smallest == null) return changed;
            masked.add(smallest);
            changed = true;
        }
    }

    private void maskScore(Row row, Set<Cell> masked) {
        Set<String> deps = MeasureScoring.dependencies(row.scoring);
        boolean withhold = row.cells.entrySet().stream().anyMatch(e -> deps.contains(e.getKey()) && masked.contains(e.getValue()));
        Extension obsCount = row.holder.getExtensionByUrl(ReportExtensions.OBSERVATION_COUNT);
        if (obsCount != null && obsCount.getValue() instanceof IntegerType c && c.hasValue() && small(c.getValue())) {
            withhold = true;
        }
        if (!withhold) return;
        row.holder.removeExtension(ReportExtensions.OBSERVATION_SUM);
        row.holder.removeExtension(ReportExtensions.OBSERVATION_COUNT);
        Quantity q = new Quantity();
        q.addExtension(dataAbsent());
        if (row.holder instanceof MeasureReportGroupComponent g) {
            if (g.hasMeasureScore()) g.setMeasureScore(q);
        } else if (row.holder instanceof StratifierGroupComponent s && s.hasMeasureScore()) {
            s.setMeasureScore(q);
        }
    }

    static Extension dataAbsent() {
        return new Extension(ReportExtensions.DATA_ABSENT_REASON, new CodeType(MASKED));
    }

    /** A group or stratum: its counts by population code and the element holding its score. */
    private static final class Row {
        final Scoring scoring;
        final Element holder;
        final Map<String, Cell> cells = new LinkedHashMap<>();

        Row(Scoring scoring, Element holder) {
            this.scoring = scoring;
            this.holder = holder;
        }

        void add(CodeableConcept code, IntegerType count) {
            String c = code.getCodingFirstRep().getCode();
            if (c == null || !count.hasValue()) return;
            cells.putIfAbsent(c, new Cell(count));
        }
    }

    /** One released count: a population count element or a supplemental-data Observation. */
    private static final class Cell {
        final long value;
        final IntegerType count;
        final Observation observation;

        Cell(IntegerType count) {
            this.count = count;
            this.observation = null;
            this.value = count.getValue();
        }

        Cell(Observation o) {
            this.count = null;
            this.observation = o;
            this.value = ((IntegerType) o.getValue()).getValue();
        }

        void mask() {
            if (count != null) {
                count.setValue(null);
                if (count.getExtensionByUrl(ReportExtensions.DATA_ABSENT_REASON) == null) count.addExtension(dataAbsent());
            } else {
                observation.setValue(null);
                observation.setDataAbsentReason(new CodeableConcept(new Coding(DATA_ABSENT_REASON_SYSTEM, MASKED, "Masked")));
            }
        }
    }
}
