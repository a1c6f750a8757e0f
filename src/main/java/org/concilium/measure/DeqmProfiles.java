package org.concilium.measure;

import org.hl7.fhir.r4.model.MeasureReport;

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

    private DeqmProfiles() {}

    /**
     * Adds the profile the report meets to {@code meta.profile}. A summary report about a subject
     * (DEQM summary: subject 0..0) and a subject-list report without a score in each group (DEQM
     * subject-list: measureScore and subjectResults 1..1, so not a cohort nor an empty population) declare none: they follow only base R4.
     */
    static void declare(MeasureReport report) {
        String profile = switch (report.getType()) {
            case INDIVIDUAL -> INDIVIDUAL;
            case SUMMARY -> report.hasSubject() ? null : SUMMARY;
            case SUBJECTLIST -> report.getGroup().stream().allMatch(g -> g.hasMeasureScore()
                    && g.getPopulation().stream().allMatch(MeasureReport.MeasureReportGroupPopulationComponent::hasSubjectResults))
                    ? SUBJECT_LIST : null;
            case DATACOLLECTION -> DATA_EXCHANGE;
            default -> null;
        };
        if (profile != null && !report.getMeta().hasProfile(profile)) {
            report.getMeta().addProfile(profile);
        }
    }
}
