package org.concilium.measure;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A parsed, validated {@code $evaluate-measure} request against this site's own data.
 * There are deliberately no data/terminology/content endpoint parameters: a gateway must not
 * fetch URLs it is handed.
 *
 * @param measureRef the Measure: canonical url (optionally {@code |version}), {@code Measure/id} or a bare id
 * @param period the measurement period (see {@link MeasurementPeriod})
 * @param reportType never null; defaults per the spec are applied by {@link #of}
 * @param subject {@code Patient/x}, {@code Group/x} or {@code Practitioner/x}; null for all patients
 * @param practitioner {@code Practitioner/x} whose patients (generalPractitioner) are evaluated; may be null
 */
public record EvaluateMeasureCommand(
        String measureRef, MeasurementPeriod period, ReportType reportType, String subject, String practitioner) {

    public EvaluateMeasureCommand {
        if (measureRef == null || measureRef.isBlank()) {
            throw MeasureEvaluationException.invalid("Parameters.parameter.where(name='measure')", "a Measure is required");
        }
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(reportType, "reportType");
        subject = blankToNull(subject);
        practitioner = blankToNull(practitioner);
        if (subject != null && !subject.matches("(Patient|Group|Practitioner)/[A-Za-z0-9\\-.]{1,64}")) {
            throw MeasureEvaluationException.invalid("Parameters.parameter.where(name='subject')",
                    "subject must be Patient/<id>, Group/<id> or Practitioner/<id>");
        }
        if (practitioner != null && !practitioner.matches("(Practitioner/)?[A-Za-z0-9\\-.]{1,64}")) {
            throw MeasureEvaluationException.invalid("Parameters.parameter.where(name='practitioner')",
                    "practitioner must be Practitioner/<id>");
        }
        if (reportType == ReportType.SUBJECT && (subject == null || !subject.startsWith("Patient/"))) {
            throw MeasureEvaluationException.invalid("Parameters.parameter.where(name='reportType')",
                    "reportType=subject needs a Patient subject");
        }
    }

    /**
     * Builds a command from raw operation parameters (strings as received). reportType defaults to
     * {@code subject} when a Patient subject is given and to {@code population} otherwise.
     *
     * @param timezone an IANA zone id or offset (the {@code Timezone} header); null or blank means UTC
     */
    public static EvaluateMeasureCommand of(String measureRef, String periodStart, String periodEnd,
            String reportType, String subject, String practitioner, String timezone) {
        ZoneId zone;
        try {
            zone = timezone == null || timezone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timezone.trim());
        } catch (DateTimeException e) {
            throw MeasureEvaluationException.invalid("Timezone", "unknown timezone");
        }
        MeasurementPeriod period = MeasurementPeriod.parse(periodStart, periodEnd, zone);
        ReportType type = ReportType.parse(reportType);
        String subj = blankToNull(subject);
        if (type == null) {
            type = subj != null && subj.startsWith("Patient/") ? ReportType.SUBJECT : ReportType.POPULATION;
        }
        return new EvaluateMeasureCommand(measureRef, period, type, subj, practitioner);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
