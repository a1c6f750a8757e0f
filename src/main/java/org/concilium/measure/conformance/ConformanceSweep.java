package org.concilium.measure.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.measure.EvaluateMeasureCommand;
import org.concilium.measure.MeasureEvaluator;
import org.hl7.fhir.r4.model.MeasureReport;

/**
 * Evaluates each case with our engine and compares the report with the expected one, population by
 * population: a case agrees when every expected count (and score, within 1e-9) is what we report.
 * A population the package expects and we do not report counts as 0; an evaluation error is a
 * disagreement on {@code evaluation}.
 */
public final class ConformanceSweep {

    private final MeasureEvaluator evaluator;

    public ConformanceSweep(MeasureEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    public List<MeasureConformance> run(List<ConformanceCase> cases) {
        Map<String, List<ConformanceCase>> byMeasure = new LinkedHashMap<>();
        cases.forEach(c -> byMeasure.computeIfAbsent(c.label(), k -> new ArrayList<>()).add(c));
        List<MeasureConformance> rows = new ArrayList<>();
        for (var e : byMeasure.entrySet()) {
            int agree = 0;
            List<Disagreement> disagreements = new ArrayList<>();
            for (ConformanceCase c : e.getValue()) {
                List<Disagreement> found = compare(c);
                if (found.isEmpty()) {
                    agree++;
                }
                disagreements.addAll(found);
            }
            rows.add(new MeasureConformance(e.getKey(), e.getValue().size(), agree, disagreements));
        }
        return rows;
    }

    List<Disagreement> compare(ConformanceCase c) {
        MeasureReport report;
        try {
            report = evaluator.evaluate(EvaluateMeasureCommand.of(c.measure(), c.periodStart(), c.periodEnd(),
                    null, c.subject(), null, null), c.data().get());
        } catch (RuntimeException e) {
            return List.of(new Disagreement(c.name(), "evaluation", "a report", e.getClass().getSimpleName() + ": "
                    + e.getMessage(), c.source()));
        }
        Map<String, Double> ours = ExpectedReports.of(report);
        List<Disagreement> out = new ArrayList<>();
        for (var expected : c.expected().entrySet()) {
            Double actual = ours.get(expected.getKey());
            if (actual == null && !expected.getKey().endsWith(ConformanceCase.SCORE)) {
                actual = 0.0;
            }
            if (actual == null || Math.abs(actual - expected.getValue()) > 1e-9) {
                out.add(new Disagreement(c.name(), expected.getKey(), format(expected.getValue()), format(actual), c.source()));
            }
        }
        return out;
    }

    static String format(Double value) {
        if (value == null) {
            return "none";
        }
        return value == Math.rint(value) && !value.isInfinite() ? Long.toString(value.longValue()) : Double.toString(value);
    }
}
