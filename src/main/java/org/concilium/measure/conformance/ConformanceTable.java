package org.concilium.measure.conformance;

import java.util.List;

/** The sweep's result as a Markdown table, then one line per disagreeing population. */
public final class ConformanceTable {

    private ConformanceTable() {}

    public static String render(List<MeasureConformance> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| measure | cases | agree | disagree |\n|---|---|---|---|\n");
        int cases = 0;
        int agree = 0;
        for (MeasureConformance row : rows) {
            out.append("| ").append(row.measure()).append(" | ").append(row.cases()).append(" | ").append(row.agree())
                    .append(" | ").append(row.disagree()).append(" |\n");
            cases += row.cases();
            agree += row.agree();
        }
        out.append("| **all** | ").append(cases).append(" | ").append(agree).append(" | ").append(cases - agree).append(" |\n");
        boolean any = rows.stream().anyMatch(r -> !r.disagreements().isEmpty());
        if (any) {
            out.append("\n| measure | case | population | expected | ours | expectation from |\n|---|---|---|---|---|---|\n");
            for (MeasureConformance row : rows) {
                for (Disagreement d : row.disagreements()) {
                    out.append("| ").append(row.measure()).append(" | ").append(d.caseName()).append(" | ")
                            .append(d.population()).append(" | ").append(d.expected()).append(" | ")
                            .append(d.actual().replace('|', '/').replace('\n', ' ')).append(" | ").append(d.source()).append(" |\n");
                }
            }
        }
        return out.toString();
    }
}
