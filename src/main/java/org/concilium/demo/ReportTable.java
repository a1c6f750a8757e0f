package org.concilium.demo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.concilium.layout.OtherBucket;
import org.concilium.layout.ReportExtensions;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupPopulationComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupStratifierComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupComponentComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupPopulationComponent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A summary MeasureReport as a fixed-width text table for a terminal: one row per population count of every
 * group and stratum (score on the group's / stratum's first row), continuous-variable observation counts, then
 * the supplemental data. Suppressed cells (data-absent-reason) read {@value #MASKED}.
 */
public final class ReportTable {
    public static final String MASKED = "<masked>";
    private static final String[] HEADER = {"group", "stratifier", "stratum", "population", "count", "score"};

    private ReportTable() {}

    public static String render(MeasureReport report) {
        StringBuilder out = new StringBuilder();
        out.append("MeasureReport ").append(report.hasMeasure() ? report.getMeasure() : "(no measure)").append('\n');
        out.append("  type ").append(report.hasType() ? report.getType().toCode() : "?")
                .append(", status ").append(report.hasStatus() ? report.getStatus().toCode() : "?");
        if (report.hasPeriod()) {
            out.append(", period ").append(report.getPeriod().getStartElement().getValueAsString())
                    .append(" .. ").append(report.getPeriod().getEndElement().getValueAsString());
        }
        out.append("\n\n");
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < report.getGroup().size(); i++) groupRows(report.getGroup().get(i), i, rows);
        out.append(table(HEADER, rows, 4, 5));
        List<String[]> sde = supplementalRows(report);
        if (!sde.isEmpty()) {
            out.append("\nsupplemental data\n");
            out.append(table(new String[] {"element", "value", "count"}, sde, 2));
        }
        return out.toString();
    }

    private static void groupRows(MeasureReportGroupComponent g, int index, List<String[]> rows) {
        String group = g.hasId() ? g.getId() : g.hasCode() ? text(g.getCode()) : "#" + (index + 1);
        List<String[]> pops = new ArrayList<>();
        for (MeasureReportGroupPopulationComponent p : g.getPopulation()) {
            pops.add(new String[] {code(p.getCode()), count(p.getCountElement())});
        }
        addRows(rows, group, "", "", pops, g, g.hasMeasureScore() ? g.getMeasureScore() : null);
        for (int s = 0; s < g.getStratifier().size(); s++) {
            MeasureReportGroupStratifierComponent st = g.getStratifier().get(s);
            String name = st.hasId() ? st.getId() : st.hasCode() ? text(st.getCodeFirstRep()) : "#" + (s + 1);
            for (StratifierGroupComponent stratum : st.getStratum()) {
                List<String[]> sp = new ArrayList<>();
                for (StratifierGroupPopulationComponent p : stratum.getPopulation()) {
                    sp.add(new String[] {code(p.getCode()), count(p.getCountElement())});
                }
                addRows(rows, group, name, stratumValue(stratum), sp, stratum,
                        stratum.hasMeasureScore() ? stratum.getMeasureScore() : null);
            }
        }
    }

    private static void addRows(List<String[]> rows, String group, String stratifier, String stratum,
            List<String[]> pops, Element holder, Quantity score) {
        Extension obsCount = holder.getExtensionByUrl(ReportExtensions.OBSERVATION_COUNT);
        if (obsCount != null && obsCount.getValue() instanceof IntegerType n) {
            pops.add(new String[] {"(observations)", count(n)});
        }
        for (int i = 0; i < pops.size(); i++) {
            rows.add(new String[] {i == 0 ? group : "", i == 0 ? stratifier : "", i == 0 ? stratum : "",
                pops.get(i)[0], pops.get(i)[1], i == 0 ? score(score) : ""});
        }
        if (pops.isEmpty()) rows.add(new String[] {group, stratifier, stratum, "", "", score(score)});
    }

    private static List<String[]> supplementalRows(MeasureReport report) {
        List<String[]> rows = new ArrayList<>();
        List<Extension> refs = new ArrayList<>(report.getExtensionsByUrl(ReportExtensions.SUPPLEMENTAL_DATA));
        refs.addAll(report.getExtensionsByUrl(ReportExtensions.SUPPLEMENTAL_DATA_R5));
        String previous = null;
        for (Extension e : refs) {
            if (!(e.getValue() instanceof Reference ref) || ref.getReference() == null
                    || !ref.getReference().startsWith("#")) {
                continue;
            }
            Observation o = contained(report, ref.getReference().substring(1));
            if (o == null) continue;
            String element = sdeName(e, ref, o);
            Coding value = o.getCode().getCodingFirstRep();
            String v = OtherBucket.isOther(o.getCode()) ? "(other)"
                    : value.hasCode() ? value.getCode() : text(o.getCode());
            if (value.hasDisplay() && !OtherBucket.isOther(value)) v += " (" + value.getDisplay() + ")";
            String c = o.getValue() instanceof IntegerType n && n.hasValue() ? Integer.toString(n.getValue())
                    : o.hasDataAbsentReason() ? MASKED : "";
            rows.add(new String[] {element.equals(previous) ? "" : element, v, c});
            previous = element;
        }
        return rows;
    }

    private static String sdeName(Extension e, Reference ref, Observation o) {
        Extension crit = ref.getExtensionByUrl(ReportExtensions.CRITERIA_REFERENCE);
        if (crit == null) crit = e.getExtensionByUrl(ReportExtensions.CRITERIA_REFERENCE);
        if (crit != null && crit.getValue() != null) return crit.getValue().primitiveValue();
        Extension info = o.getExtensionByUrl(ReportExtensions.MEASURE_INFO);
        if (info != null && info.getExtensionByUrl("populationId") != null) {
            return info.getExtensionByUrl("populationId").getValue().primitiveValue();
        }
        return "?";
    }

    private static Observation contained(MeasureReport report, String id) {
        for (Resource r : report.getContained()) {
            if (r instanceof Observation o && id.equals(r.getIdElement().getIdPart().replace("#", ""))) return o;
        }
        return null;
    }

    private static String stratumValue(StratifierGroupComponent stratum) {
        if (stratum.hasComponent()) {
            List<String> parts = new ArrayList<>();
            for (StratifierGroupComponentComponent c : stratum.getComponent()) {
                parts.add(text(c.getCode()) + "=" + value(c.getValue()));
            }
            return String.join(" & ", parts);
        }
        return stratum.hasValue() ? value(stratum.getValue()) : "";
    }

    private static String value(CodeableConcept v) {
        if (OtherBucket.isOther(v)) return "(other)";
        if (v.hasCoding() && v.getCodingFirstRep().hasCode()) return v.getCodingFirstRep().getCode();
        return v.hasText() ? v.getText() : "";
    }

    private static String code(CodeableConcept c) {
        return c.hasCoding() && c.getCodingFirstRep().hasCode() ? c.getCodingFirstRep().getCode() : text(c);
    }

    private static String text(CodeableConcept c) {
        if (c.hasText()) return c.getText();
        return c.hasCoding() ? c.getCodingFirstRep().getCode() : "";
    }

    private static String count(IntegerType count) {
        if (count.hasValue()) return Integer.toString(count.getValue());
        return count.getExtensionByUrl(ReportExtensions.DATA_ABSENT_REASON) != null ? MASKED : "";
    }

    private static String score(Quantity q) {
        if (q == null) return "";
        if (!q.hasValue()) return q.getExtensionByUrl(ReportExtensions.DATA_ABSENT_REASON) != null ? MASKED : "";
        BigDecimal v = q.getValue();
        String s = v.scale() > 4 ? new DecimalType(v.setScale(4, java.math.RoundingMode.HALF_UP)).getValueAsString()
                : v.toPlainString();
        return q.hasUnit() ? s + " " + q.getUnit() : s;
    }

    /** Left-aligned columns, right-aligned where listed; two spaces between columns. */
    private static String table(String[] header, List<String[]> rows, int... rightAligned) {
        int[] w = new int[header.length];
        for (int i = 0; i < header.length; i++) w[i] = header[i].length();
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        line(sb, header, w, rightAligned);
        String[] rule = new String[header.length];
        for (int i = 0; i < w.length; i++) rule[i] = "-".repeat(w[i]);
        line(sb, rule, w, rightAligned);
        for (String[] r : rows) line(sb, r, w, rightAligned);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells, int[] w, int[] rightAligned) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) l.append("  ");
            boolean right = false;
            for (int r : rightAligned) right |= r == i;
            String pad = " ".repeat(w[i] - cells[i].length());
            l.append(right ? pad + cells[i] : cells[i] + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
