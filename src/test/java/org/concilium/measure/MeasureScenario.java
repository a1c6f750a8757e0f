package org.concilium.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupPopulationComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupStratifierComponent;
import org.hl7.fhir.r4.model.MeasureReport.StratifierGroupComponent;

/**
 * Given/When/Then DSL over {@link MeasureEvaluator}, in the style of cqf-fhir-cr's tests:
 * {@code given(data).when().measure("X").period("2024","2024").evaluate().then().firstGroup().population("numerator").hasCount(2)}.
 */
final class MeasureScenario {

    static final MeasureEvaluator EVALUATOR = new MeasureEvaluator();

    private final ClinicalData data;

    private MeasureScenario(ClinicalData data) {
        this.data = data;
    }

    static MeasureScenario given(ClinicalData data) {
        return new MeasureScenario(data);
    }

    When when() {
        return new When(data);
    }

    static final class When {
        private final ClinicalData data;
        private String measure;
        private String start = "2024-01-01";
        private String end = "2024-12-31";
        private String reportType;
        private String subject;
        private String practitioner;
        private String timezone;
        private MeasureEvaluator evaluator = EVALUATOR;

        When(ClinicalData data) {
            this.data = data;
        }

        When measure(String ref) {
            this.measure = ref;
            return this;
        }

        When period(String start, String end) {
            this.start = start;
            this.end = end;
            return this;
        }

        When reportType(String reportType) {
            this.reportType = reportType;
            return this;
        }

        When subject(String subject) {
            this.subject = subject;
            return this;
        }

        When practitioner(String practitioner) {
            this.practitioner = practitioner;
            return this;
        }

        When timezone(String timezone) {
            this.timezone = timezone;
            return this;
        }

        When using(MeasureEvaluator evaluator) {
            this.evaluator = evaluator;
            return this;
        }

        EvaluateMeasureCommand command() {
            return EvaluateMeasureCommand.of(measure, start, end, reportType, subject, practitioner, timezone);
        }

        Then evaluate() {
            return new Then(evaluator.evaluate(command(), data));
        }

        MeasureEvaluationException fails() {
            return assertThrows(MeasureEvaluationException.class, () -> evaluator.evaluate(command(), data));
        }
    }

    static final class Then {
        final MeasureReport report;

        Then(MeasureReport report) {
            this.report = report;
        }

        Then then() {
            return this;
        }

        Then hasType(MeasureReport.MeasureReportType type) {
            assertEquals(type, report.getType());
            return this;
        }

        GroupThen firstGroup() {
            assertFalse(report.getGroup().isEmpty(), "report has no group");
            return new GroupThen(this, report.getGroup().get(0));
        }

        GroupThen group(String id) {
            return new GroupThen(this, report.getGroup().stream().filter(g -> id.equals(g.getId())).findFirst()
                    .orElseThrow(() -> new AssertionError("no group " + id)));
        }

        MeasureReport report() {
            return report;
        }
    }

    static final class GroupThen {
        final Then up;
        final MeasureReportGroupComponent group;

        GroupThen(Then up, MeasureReportGroupComponent group) {
            this.up = up;
            this.group = group;
        }

        /** Finds a population by its code (initial-population, numerator, ...). */
        PopulationThen population(String code) {
            return new PopulationThen(this, find(group.getPopulation(), code));
        }

        GroupThen hasCount(String code, int count) {
            return population(code).hasCount(count).up;
        }

        GroupThen hasNoPopulation(String code) {
            assertTrue(group.getPopulation().stream().noneMatch(p -> p.getCode().getCodingFirstRep().getCode().equals(code)),
                    "unexpected population " + code);
            return this;
        }

        GroupThen hasScore(double expected) {
            assertTrue(group.hasMeasureScore(), "group has no measureScore");
            assertEquals(expected, group.getMeasureScore().getValue().doubleValue(), 1e-9, "measureScore");
            return this;
        }

        GroupThen hasNoScore() {
            assertFalse(group.hasMeasureScore() && group.getMeasureScore().hasValue(), "group has a measureScore");
            return this;
        }

        StratifierThen stratifier(int index) {
            assertTrue(group.getStratifier().size() > index, "no stratifier #" + index);
            return new StratifierThen(this, group.getStratifier().get(index));
        }

        Then up() {
            return up;
        }
    }

    static final class PopulationThen {
        final GroupThen up;
        final MeasureReportGroupPopulationComponent population;

        PopulationThen(GroupThen up, MeasureReportGroupPopulationComponent population) {
            this.up = up;
            this.population = population;
        }

        PopulationThen hasCount(int count) {
            assertEquals(count, population.getCount(), "count of " + population.getCode().getCodingFirstRep().getCode());
            return this;
        }

        PopulationThen hasSubjectResults() {
            assertNotNull(population.getSubjectResults().getReference(), "no subjectResults");
            return this;
        }

        GroupThen up() {
            return up;
        }
    }

    static final class StratifierThen {
        final GroupThen up;
        final MeasureReportGroupStratifierComponent stratifier;

        StratifierThen(GroupThen up, MeasureReportGroupStratifierComponent stratifier) {
            this.up = up;
            this.stratifier = stratifier;
        }

        StratifierThen hasStratumCount(int n) {
            assertEquals(n, stratifier.getStratum().size(), "number of strata");
            return this;
        }

        /** A stratum by its value text, or for component strata by the component value texts joined with ','. */
        StratumThen stratum(String valueText) {
            for (var s : stratifier.getStratum()) {
                String text = s.hasValue() ? s.getValue().getText()
                        : String.join(",", s.getComponent().stream().map(c -> c.getValue().getText()).toList());
                if (valueText.equals(text)) {
                    return new StratumThen(this, s);
                }
            }
            fail("no stratum '" + valueText + "' in " + stratifier.getStratum().stream()
                    .map(s -> s.hasValue() ? s.getValue().getText() : "component").toList());
            return null;
        }

        StratifierThen isFailedWithIssue() {
            assertTrue(stratifier.getStratum().isEmpty());
            assertNotNull(stratifier.getExtensionByUrl(MeasureReportBuilder.EXT_EVALUATION_ISSUE), "no issue extension");
            return this;
        }

        GroupThen up() {
            return up;
        }
    }

    static final class StratumThen {
        final StratifierThen up;
        final StratifierGroupComponent stratum;

        StratumThen(StratifierThen up, StratifierGroupComponent stratum) {
            this.up = up;
            this.stratum = stratum;
        }

        StratumThen hasCount(String code, int count) {
            assertEquals(count, find(stratum.getPopulation().stream().map(p -> new MeasureReportGroupPopulationComponent()
                    .setCode(p.getCode()).setCount(p.getCount())).toList(), code).getCount(), "stratum count of " + code);
            return this;
        }

        StratumThen hasScore(double expected) {
            assertTrue(stratum.hasMeasureScore(), "stratum has no measureScore");
            assertEquals(expected, stratum.getMeasureScore().getValue().doubleValue(), 1e-9, "stratum score");
            return this;
        }

        StratumThen hasNoScore() {
            assertNull(stratum.hasMeasureScore() ? stratum.getMeasureScore().getValue() : null);
            return this;
        }

        StratifierThen up() {
            return up;
        }
    }

    static MeasureReportGroupPopulationComponent find(List<MeasureReportGroupPopulationComponent> pops, String code) {
        return pops.stream()
                .filter(p -> p.getCode().getCoding().stream().anyMatch(c -> code.equals(c.getCode())))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no population " + code));
    }
}
