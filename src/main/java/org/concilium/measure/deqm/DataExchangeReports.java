package org.concilium.measure.deqm;

import org.concilium.measure.DeqmProfiles;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;

/**
 * Completes the data-collection reports cqf-fhir-cr's {@code $collect-data} returns into DEQM
 * data-exchange reports: the profile, the update type DEQM requires ({@code snapshot}: the report
 * and its resources are the subject's whole data for the period) and the reporter.
 */
final class DataExchangeReports {

    static final String UPDATE_TYPE = "http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-submitDataUpdateType";

    private DataExchangeReports() {}

    static Parameters complete(Parameters collected, String reporter) {
        for (var p : collected.getParameter()) {
            if (p.getResource() instanceof MeasureReport report) {
                report.getMeta().addProfile(DeqmProfiles.DATA_EXCHANGE);
                if (!report.hasExtension(UPDATE_TYPE)) {
                    report.addExtension(UPDATE_TYPE, new CodeType("snapshot"));
                }
                if (!report.hasReporter()) {
                    report.setReporter(new Reference(reporter));
                }
            }
        }
        return collected;
    }
}
