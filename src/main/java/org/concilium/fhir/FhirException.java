package org.concilium.fhir;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A request the node refuses, with the HTTP status and the OperationOutcome issue it becomes.
 * The message is written for the client: never put exception text or SQL in it.
 */
public class FhirException extends RuntimeException {

    private final int status;
    private final IssueType issueType;
    private final String expression;

    public FhirException(int status, IssueType issueType, String message, String expression) {
        super(message);
        this.status = status;
        this.issueType = issueType;
        this.expression = expression;
    }

    public static FhirException badRequest(String message) {
        return new FhirException(400, IssueType.INVALID, message, null);
    }

    public static FhirException invalid(String message, String expression) {
        return new FhirException(400, IssueType.INVALID, message, expression);
    }

    public static FhirException unprocessable(String message, String expression) {
        return new FhirException(422, IssueType.BUSINESSRULE, message, expression);
    }

    public static FhirException notFound(String message) {
        return new FhirException(404, IssueType.NOTFOUND, message, null);
    }

    public static FhirException notSupported(String message) {
        return new FhirException(400, IssueType.NOTSUPPORTED, message, null);
    }

    public int status() {
        return status;
    }

    public IssueType issueType() {
        return issueType;
    }

    public String expression() {
        return expression;
    }
}
