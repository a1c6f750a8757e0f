package org.concilium.measure;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.Type;

/**
 * The Da Vinci DEQM 4.0.0 MeasureReport profiles (the version cqf-fhir-cr 4.2.0 writes) and which
 * one a report follows. Their StructureDefinitions, with snapshots, are in
 * {@code fhir-profiles/davinci-deqm-4.0.0/}.
 */
public final class DeqmProfiles {

    private static final String BASE = "http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/";
    public static final String INDIVIDUAL = BASE + "indv-measurereport-deqm";
    public static final String SUMMARY = BASE + "summary-measurereport-deqm";
    public static final String SUBJECT_LIST = BASE + "subjectlist-measurereport-deqm";
    public static final String DATA_EXCHANGE = BASE + "datax-measurereport-deqm";
    static final String EXT_SCORING = BASE + "extension-measureScoring";
    /** DEQM's scoring extension (deqm-3), for the reports this package does not build. */
    public static final String EXT_MEASURE_SCORING = EXT_SCORING;
    static final String EXT_GROUP_IMPROVEMENT = BASE + "extension-groupImprovementNotation";
    /** DEQM (deqm-5 and its group form): these scorings need an improvement notation. */
    private static final Set<String> SCORED = Set.of("proportion", "ratio", "continuous-variable");

    private DeqmProfiles() {}

    /**
     * Adds to each group the DEQM scoring and improvement-notation extensions (DEQM deqm-3 wants the
     * scoring in its own extension, next to the CQFM one the report carries), then the profile the
     * report meets to {@code meta.profile}. Declares none when the report cannot meet it, and it
     * then follows base R4 only: a summary about a subject (DEQM summary: subject 0..0), a
     * subject-list without a score and subject results everywhere (so not a cohort), a scored group
     * without any improvement notation, and the rules of {@link #meetsCommonRules}.
     */
    static void apply(MeasureReport report) {
        boolean conformant = true;
        for (MeasureReportGroupComponent g : report.getGroup()) {
            Type scoring = value(g, MeasureModelParser.EXT_SCORING);
            if (scoring == null) {
                conformant = false;
                continue;
            }
            if (!g.hasExtension(EXT_SCORING)) {
                g.addExtension(EXT_SCORING, scoring.copy());
            }
            String code = ((CodeableConcept) scoring).getCodingFirstRep().getCode();
            Type improvement = value(g, MeasureModelParser.EXT_IMPROVEMENT);
            if (improvement == null && report.hasImprovementNotation()) {
                improvement = report.getImprovementNotation();
            }
            if (improvement != null && !g.hasExtension(EXT_GROUP_IMPROVEMENT)) {
                g.addExtension(EXT_GROUP_IMPROVEMENT, improvement.copy());
            } else if (improvement == null && SCORED.contains(code)) {
                conformant = false;
            }
        }
        String profile = switch (report.getType()) {
            case INDIVIDUAL -> INDIVIDUAL;
            case SUMMARY -> report.hasSubject() ? null : SUMMARY;
            case SUBJECTLIST -> report.getGroup().stream().allMatch(g -> g.hasMeasureScore()
                    && g.getPopulation().stream().allMatch(MeasureReport.MeasureReportGroupPopulationComponent::hasSubjectResults))
                    ? SUBJECT_LIST : null;
            default -> null;
        };
        if (conformant && profile != null && meetsCommonRules(report) && !report.getMeta().hasProfile(profile)) {
            report.getMeta().addProfile(profile);
        }
    }

    /**
     * What DEQM 4.0.0 asks of every individual, summary and subject-list report that our reports do
     * not always give: a reporter (1..1); the period to at least the day (deqm-1); at most one
     * {@code extension-supplementalData} (0..1), and no {@code extension-populationReference} on a
     * contained supplemental-data Observation (4.0.0 allows it on a Reference only); a code on each
     * stratifier (summary and subject-list: 1..1).
     */
    private static boolean meetsCommonRules(MeasureReport report) {
        if (report.getType() == MeasureReport.MeasureReportType.DATACOLLECTION) {
            return true;
        }
        boolean dayPrecision = report.getPeriod().getStartElement().getPrecision().compareTo(TemporalPrecisionEnum.DAY) >= 0
                && report.getPeriod().getEndElement().getPrecision().compareTo(TemporalPrecisionEnum.DAY) >= 0;
        boolean oneSupplemental = report.getExtensionsByUrl(BASE + "extension-supplementalData").size() <= 1
                && report.getContained().stream().noneMatch(r -> r instanceof DomainResource d
                        && d.hasExtension(BASE + "extension-populationReference"));
        boolean codedStrata = report.getGroup().stream().flatMap(g -> g.getStratifier().stream())
                .allMatch(MeasureReport.MeasureReportGroupStratifierComponent::hasCode);
        return report.hasReporter() && dayPrecision && oneSupplemental && codedStrata;
    }

    private static Type value(MeasureReportGroupComponent g, String url) {
        var ext = g.getExtensionByUrl(url);
        return ext == null ? null : ext.getValue();
    }
}
