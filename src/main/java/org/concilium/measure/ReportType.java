package org.concilium.measure;

import java.util.Locale;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportType;

/** The {@code reportType} parameter of $evaluate-measure (R4 codes) and the MeasureReport.type it yields. */
public enum ReportType {
    SUBJECT("subject", MeasureReportType.INDIVIDUAL),
    SUBJECT_LIST("subject-list", MeasureReportType.SUBJECTLIST),
    POPULATION("population", MeasureReportType.SUMMARY);

    private final String code;
    private final MeasureReportType reportType;

    ReportType(String code, MeasureReportType reportType) {
        this.code = code;
        this.reportType = reportType;
    }

    public String code() {
        return code;
    }

    MeasureReportType measureReportType() {
        return reportType;
    }

    /** Parses the parameter; {@code individual}/{@code summary} (R5 / MeasureReport.type spellings) are accepted too. */
    public static ReportType parse(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        return switch (code.trim().toLowerCase(Locale.ROOT)) {
            case "subject", "individual" -> SUBJECT;
            case "subject-list", "subjectlist" -> SUBJECT_LIST;
            case "population", "summary" -> POPULATION;
            default -> throw MeasureEvaluationException.invalid(
                    "Parameters.parameter.where(name='reportType')",
                    "reportType must be one of subject, subject-list, population");
        };
    }
}
