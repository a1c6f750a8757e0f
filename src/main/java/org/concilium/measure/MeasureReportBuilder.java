package org.concilium.measure;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.concilium.measure.MeasureModel.Group;
import org.concilium.measure.MeasureModel.Population;
import org.concilium.measure.MeasureModel.Stratifier;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportStatus;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/** Turns a {@link ReportTally} into a MeasureReport shaped like the DEQM individual / subject-list / summary profiles. */
final class MeasureReportBuilder {

    static final String EXT_SUPPLEMENTAL_DATA = "http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-supplementalData";
    static final String EXT_EVALUATION_ISSUE = "https://concilium.org/fhir/StructureDefinition/evaluation-issue";
    static final String MEASURE_POPULATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/measure-population";

    private final MeasureEvaluator.Options options;
    private Set<String> undefined = Set.of();

    MeasureReportBuilder(MeasureEvaluator.Options options) {
        this.options = options;
    }

    MeasureReport build(ReportTally tally, EvaluateMeasureCommand command, String subjectReference, Set<String> undefined) {
        this.undefined = undefined;
        MeasureModel model = tally.model;
        var measure = model.measure();
        MeasureReport report = new MeasureReport();
        report.setStatus(MeasureReportStatus.COMPLETE);
        report.setType(command.reportType().measureReportType());
        report.setMeasure(MeasureCanonical.reference(measure));
        report.setDate(new Date());
        report.setPeriod(new Period()
                .setStartElement(new DateTimeType(command.period().startText()))
                .setEndElement(new DateTimeType(command.period().endText())));
        if (subjectReference != null) {
            report.setSubject(new Reference(subjectReference));
        }
        if (options.reporter() != null) {
            report.setReporter(new Reference(options.reporter()));
        }
        if (model.improvementNotation() != null) {
            report.setImprovementNotation(improvement(model.improvementNotation()));
        }
        boolean subjectList = command.reportType() == ReportType.SUBJECT_LIST;
        for (ReportTally.GroupTally gt : tally.groups) {
            report.addGroup(group(report, gt, subjectList, model.improvementNotation()));
        }
        supplementalData(report, tally);
        return report;
    }

    private MeasureReportGroupComponent group(MeasureReport report, ReportTally.GroupTally gt, boolean subjectList,
            String measureImprovement) {
        Group g = gt.group;
        var out = new MeasureReportGroupComponent();
        if (g.id() != null) {
            out.setId(g.id());
        }
        if (g.code() != null && !g.code().isEmpty()) {
            out.setCode(g.code());
        }
        out.addExtension(MeasureModelParser.EXT_SCORING, new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", g.scoring().code, null)));
        if (g.improvementNotation() != null && !g.improvementNotation().equals(measureImprovement)) {
            out.addExtension(MeasureModelParser.EXT_IMPROVEMENT, improvement(g.improvementNotation()));
        }
        for (Population p : g.populations()) {
            var pop = out.addPopulation();
            if (p.id() != null) {
                pop.setId(p.id());
            }
            pop.setCode(populationCode(p));
            pop.setCount(Math.toIntExact(gt.total.counts[p.index()]));
            if (undefined.contains(p.criteria().expression())) {
                String ooId = "issue-" + (g.id() != null ? g.id() : "g" + g.index()) + "-"
                        + (p.id() != null ? p.id() : "p" + p.index());
                report.addContained(issue(ooId, OperationOutcome.IssueSeverity.WARNING, "'" + p.criteria().expression()
                        + "' is not defined in the Library; the population was evaluated as empty", p.criteria().location()));
                pop.addExtension(EXT_EVALUATION_ISSUE, new Reference("#" + ooId));
            }
            if (subjectList && gt.total.subjects != null) {
                String listId = "subjects-" + (g.id() != null ? g.id() : "g" + g.index()) + "-"
                        + (p.id() != null ? p.id() : "p" + p.index());
                ListResource list = new ListResource();
                list.setId(listId);
                list.setStatus(ListResource.ListStatus.CURRENT);
                list.setMode(ListResource.ListMode.SNAPSHOT);
                gt.total.subjects.get(p.index()).forEach(s -> list.addEntry().setItem(new Reference(s)));
                report.addContained(list);
                pop.setSubjectResults(new Reference("#" + listId));
            }
        }
        Double score = score(g, gt.total);
        if (score != null) {
            out.setMeasureScore(new Quantity().setValue(score));
        }
        for (int s = 0; s < g.stratifiers().size(); s++) {
            stratifier(report, out, g, g.stratifiers().get(s), gt.stratifiers.get(s));
        }
        return out;
    }

    private void stratifier(MeasureReport report, MeasureReportGroupComponent out, Group g, Stratifier s,
            ReportTally.StratifierTally tally) {
        var rs = out.addStratifier();
        if (s.id() != null) {
            rs.setId(s.id());
        }
        if (s.code() != null && !s.code().isEmpty()) {
            rs.addCode(s.code());
        } else {
            s.components().stream().filter(c -> c.code() != null && !c.code().isEmpty()).forEach(c -> rs.addCode(c.code()));
        }
        if (tally.error != null) {
            String ooId = "issue-" + (g.id() != null ? g.id() : "g" + g.index()) + "-"
                    + (s.id() != null ? s.id() : "s" + s.index());
            report.addContained(issue(ooId, OperationOutcome.IssueSeverity.ERROR,
                    "stratifier could not be evaluated: " + tally.error, s.location()));
            rs.addExtension(EXT_EVALUATION_ISSUE, new Reference("#" + ooId));
            return;
        }
        for (var e : tally.strata.entrySet()) {
            var stratum = rs.addStratum();
            List<StratumValue> key = e.getKey();
            if (!s.componentForm()) {
                stratum.setValue(key.get(0).toConcept());
            } else {
                for (int i = 0; i < key.size(); i++) {
                    var component = s.components().get(i);
                    CodeableConcept code = component.code() != null && !component.code().isEmpty()
                            ? component.code().copy()
                            : new CodeableConcept().setText(component.id() != null ? component.id() : component.criteria().expression());
                    stratum.addComponent().setCode(code).setValue(key.get(i).toConcept());
                }
            }
            ReportTally.Cell cell = e.getValue();
            for (Population p : g.populations()) {
                // no element id here: ids must be unique within the report and the group population carries it
                var sp = stratum.addPopulation();
                sp.setCode(populationCode(p));
                sp.setCount(Math.toIntExact(cell.counts[p.index()]));
            }
            Double score = score(g, cell);
            if (score != null) {
                stratum.setMeasureScore(new Quantity().setValue(score));
            }
        }
    }

    /** The one scoring ({@link MeasureScore#of}) over this group's or stratum's tally. */
    Double score(Group g, ReportTally.Cell cell) {
        PopulationTotals totals = new PopulationTotals() {
            @Override
            public long count(Population p) {
                return cell.counts[p.index()];
            }

            @Override
            public java.util.Optional<Double> observation(Population p) {
                return java.util.Optional.ofNullable(aggregate(p.aggregateMethod(), cell.observations.get(p.index())));
            }
        };
        return MeasureScore.of(g, totals, options.decreaseScoring() == MeasureEvaluator.DecreaseScoring.INVERT).orElse(null);
    }

    static Double aggregate(AggregateMethod method, List<Double> values) {
        if (method == AggregateMethod.COUNT) {
            return (double) values.size();
        }
        if (values.isEmpty()) {
            return null;
        }
        return switch (method) {
            case SUM -> values.stream().mapToDouble(Double::doubleValue).sum();
            case AVERAGE -> values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            case MIN -> values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            case MAX -> values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            case MEDIAN -> {
                double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                int n = sorted.length;
                yield n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
            }
            case COUNT -> (double) values.size();
        };
    }

    private static OperationOutcome issue(String id, OperationOutcome.IssueSeverity severity, String text, String location) {
        OperationOutcome oo = new OperationOutcome();
        oo.setId(id);
        oo.addIssue().setSeverity(severity).setCode(OperationOutcome.IssueType.PROCESSING).setDiagnostics(text)
                .addExpression(location);
        return oo;
    }

    private static CodeableConcept populationCode(Population p) {
        if (p.code() != null && p.code().hasCoding()) {
            return p.code().copy();
        }
        return new CodeableConcept(new Coding(MEASURE_POPULATION_SYSTEM, p.type().code, null));
    }

    private static CodeableConcept improvement(String code) {
        return new CodeableConcept(new Coding(MeasureModelParser.IMPROVEMENT_SYSTEM, code, code));
    }

    /** The value as the Observation's code; a missing value is a data-absent-reason, not the text "null". */
    private static CodeableConcept sdeCode(StratumValue value) {
        if (value.equals(StratumValue.NULL)) {
            CodeableConcept absent = new CodeableConcept();
            absent.addExtension(new Extension("http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                    new org.hl7.fhir.r4.model.CodeType("unknown")));
            return absent;
        }
        return value.toConcept();
    }

    /** Per-value counts (summary) or the subject's values (individual) as contained Observations, DEQM style. */
    private void supplementalData(MeasureReport report, ReportTally tally) {
        var sdes = tally.model.supplementalData();
        for (int i = 0; i < sdes.size(); i++) {
            var sde = sdes.get(i);
            int n = 0;
            for (Map.Entry<StratumValue, Long> e : tally.supplemental.get(i).entrySet()) {
                String id = "sde-" + (sde.id() != null ? sde.id() : String.valueOf(i)) + "-" + (n++);
                Observation obs = new Observation();
                obs.setId(id);
                obs.setStatus(Observation.ObservationStatus.FINAL);
                obs.addExtension("http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-populationReference",
                        new StringType(sde.id() != null ? sde.id() : sde.criteria().expression()));
                obs.setCode(sdeCode(e.getKey()));
                obs.setValue(new IntegerType(Math.toIntExact(e.getValue())));
                report.addContained(obs);
                report.addExtension(new Extension(EXT_SUPPLEMENTAL_DATA, new Reference("#" + id)));
            }
        }
    }
}
