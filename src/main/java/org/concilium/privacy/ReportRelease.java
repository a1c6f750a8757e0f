package org.concilium.privacy;

import java.util.Date;
import org.concilium.layout.MeasureLayout;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Period;

/**
 * What the network releases from a decrypted slot vector: decode with the Measure's layout (which
 * scores as local reports do, improvement-notation convention included), suppress small cells under the policy, and mark the result a
 * complete summary report that discloses its own protection ({@link PrivacyDisclosure}: noise or
 * not, ε and δ spent, k, the suppressed cells). The one place that turns network sums into a report anyone sees; it
 * knows no network and no cryptography (the noise is already in the sums).
 */
public final class ReportRelease {

    private ReportRelease() {
    }

    public static MeasureReport release(MeasureLayout layout, long[] sums, String periodStart,
            String periodEnd, ReleasePolicy policy) {
        Period period = new Period();
        period.setStartElement(new DateTimeType(periodStart));
        period.setEndElement(new DateTimeType(periodEnd));
        MeasureReport decoded = layout.decode(sums, period);
        MeasureReport report = new SmallCellSuppression(policy).apply(decoded, layout);
        report.addExtension(PrivacyDisclosure.of(report, layout, policy));
        return report.setStatus(MeasureReport.MeasureReportStatus.COMPLETE)
                .setType(MeasureReport.MeasureReportType.SUMMARY)
                .setMeasure(layout.model().reference())
                .setDate(new Date());
    }
}
