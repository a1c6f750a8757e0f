package org.concilium.fhir;

import java.util.Map;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.StringType;

/**
 * The {@code $evaluate-measure} parameters that describe the report rather than change the
 * evaluation: {@code productLine} (recorded as cqf-fhir-cr does, extension cqfm-productLine) and
 * {@code lastReceivedOn} (recorded under our own extension: no IG defines one).
 */
record ReportAnnotations(String productLine, DateTimeType lastReceivedOn) {

    static final String PRODUCT_LINE = "http://hl7.org/fhir/us/cqframework/cqfmeasures/StructureDefinition/cqfm-productLine";
    static final String LAST_RECEIVED_ON = "https://concilium.org/fhir/StructureDefinition/lastReceivedOn";

    /** Reads and checks both parameters; a lastReceivedOn that is not a FHIR dateTime is a 400. */
    static ReportAnnotations of(Map<String, String> p) {
        String productLine = p.get("productLine");
        if (productLine != null && productLine.isBlank()) {
            throw FhirException.invalid("productLine is empty", "Parameters.parameter.where(name='productLine')");
        }
        DateTimeType lastReceivedOn = null;
        String text = p.get("lastReceivedOn");
        if (text != null) {
            try {
                lastReceivedOn = new DateTimeType(text.trim());
            } catch (RuntimeException e) {
                throw FhirException.invalid("lastReceivedOn is not a dateTime: use yyyy, yyyy-MM, yyyy-MM-dd or yyyy-MM-ddThh:mm:ss+zz:zz",
                        "Parameters.parameter.where(name='lastReceivedOn')");
            }
        }
        return new ReportAnnotations(productLine == null ? null : productLine.trim(), lastReceivedOn);
    }

    MeasureReport applyTo(MeasureReport report) {
        if (productLine != null) {
            report.addExtension(PRODUCT_LINE, new StringType(productLine));
        }
        if (lastReceivedOn != null) {
            report.addExtension(LAST_RECEIVED_ON, lastReceivedOn);
        }
        return report;
    }
}
