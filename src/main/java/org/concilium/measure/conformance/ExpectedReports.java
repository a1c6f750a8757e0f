package org.concilium.measure.conformance;

import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.MeasureReport;

/** What a shipped MeasureReport or a case name says the result is, in one convention. */
final class ExpectedReports {

    private ExpectedReports() {}

    /**
     * Population counts (and the score) of a report. Keys are population codes; with several
     * groups, {@code groupId:code}. Reports of 2019–2022 content put an excluded patient at
     * DEN 0 / DENEX 1 (denominator net of exclusions); the current CQF convention, which we follow,
     * counts DEN including DENEX, so such a DEN is normalised to the DENEX count.
     */
    static Map<String, Double> of(MeasureReport report) {
        Map<String, Double> out = new TreeMap<>();
        boolean several = report.getGroup().size() > 1;
        for (var group : report.getGroup()) {
            String prefix = several ? group.getId() + ":" : "";
            double den = -1;
            double denex = 0;
            for (var population : group.getPopulation()) {
                String code = population.getCode().getCodingFirstRep().getCode();
                out.put(prefix + code, (double) population.getCount());
                if ("denominator".equals(code)) {
                    den = population.getCount();
                } else if ("denominator-exclusion".equals(code)) {
                    denex = population.getCount();
                }
            }
            if (den == 0 && denex > 0) {
                out.put(prefix + "denominator", denex);
            }
            if (group.hasMeasureScore() && group.getMeasureScore().hasValue()) {
                out.put(prefix + ConformanceCase.SCORE, group.getMeasureScore().getValue().doubleValue());
            }
        }
        return out;
    }

    /**
     * The ecqm-content naming convention of test cases, for cases that ship no report:
     * {@code numer-*} IP=DEN=NUM=1; {@code denom-*} IP=DEN=1, NUM=0; {@code denomexcl-*}
     * IP=DEN=DENEX=1, NUM=0; {@code neg-ip-*} and {@code no-ip-*} IP=0. Null for any other name.
     */
    static Map<String, Double> byCaseName(String name) {
        if (name.startsWith("numer-")) {
            return counts(1, 1, 1, 0);
        } else if (name.startsWith("denomexcl-")) {
            return counts(1, 1, 0, 1);
        } else if (name.startsWith("denom-")) {
            return counts(1, 1, 0, 0);
        } else if (name.startsWith("neg-ip-") || name.startsWith("no-ip-")) {
            return new TreeMap<>(Map.of("initial-population", 0.0));
        }
        return null;
    }

    private static Map<String, Double> counts(int ip, int den, int num, int denex) {
        return new TreeMap<>(Map.of("initial-population", (double) ip, "denominator", (double) den,
                "numerator", (double) num, "denominator-exclusion", (double) denex));
    }
}
