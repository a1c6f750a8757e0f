package org.concilium.fhir;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.StringType;

/** Builds the OperationOutcomes the node returns. Every error carries a correlation id the logs also carry. */
public final class OperationOutcomes {

    private OperationOutcomes() {
    }

    public static OperationOutcome error(IssueType type, String message, String expression, String correlationId) {
        return issue(IssueSeverity.ERROR, type, message, expression, correlationId);
    }

    public static OperationOutcome issue(IssueSeverity severity, IssueType type, String message, String expression,
            String correlationId) {
        OperationOutcome oo = new OperationOutcome();
        if (correlationId != null) {
            oo.setId(correlationId);
        }
        var issue = oo.addIssue().setSeverity(severity).setCode(type).setDiagnostics(
                correlationId == null ? message : message + " (correlation id " + correlationId + ")");
        if (expression != null) {
            issue.addExpression(expression);
            issue.getLocation().add(new StringType(expression));
        }
        return oo;
    }

    /** "stored Type/id/_history/n" followed by the lenient-ingest warnings, if any. */
    static OperationOutcome stored(String reference, java.util.List<OperationOutcome.OperationOutcomeIssueComponent> warnings) {
        OperationOutcome oo = information("stored " + reference);
        warnings.forEach(w -> oo.addIssue(w.copy()));
        return oo;
    }

    public static OperationOutcome information(String message) {
        return issue(IssueSeverity.INFORMATION, IssueType.INFORMATIONAL, message, null, null);
    }
}
