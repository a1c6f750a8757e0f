package org.concilium.measure;

/**
 * Why an evaluation was refused, in terms the FHIR boundary maps to an OperationOutcome.
 * Messages name FHIR elements and artifacts, never patient data, stack traces or SQL.
 */
public final class MeasureEvaluationException extends RuntimeException {

    /** The HTTP-ish class of the failure. */
    public enum Category {
        /** A request parameter is malformed or inconsistent (HTTP 400). */
        INVALID_PARAMETER(400, "invalid"),
        /** The Measure or subject asked for does not exist (HTTP 404). */
        NOT_FOUND(404, "not-found"),
        /** The Measure or its logic cannot be evaluated as written (HTTP 422). */
        BROKEN_MEASURE(422, "processing");

        private final int httpStatus;
        private final String issueType;

        Category(int httpStatus, String issueType) {
            this.httpStatus = httpStatus;
            this.issueType = issueType;
        }

        public int httpStatus() {
            return httpStatus;
        }

        /** The OperationOutcome.issue.code to use. */
        public String issueType() {
            return issueType;
        }
    }

    private final Category category;
    private final String location;

    public MeasureEvaluationException(Category category, String location, String message) {
        this(category, location, message, null);
    }

    public MeasureEvaluationException(Category category, String location, String message, Throwable cause) {
        super(message, cause);
        this.category = category;
        this.location = location;
    }

    public Category category() {
        return category;
    }

    /** FHIRPath of the offending element, e.g. {@code Measure.group[0].population[2].criteria}; may be null. */
    public String location() {
        return location;
    }

    static MeasureEvaluationException broken(String location, String message) {
        return new MeasureEvaluationException(Category.BROKEN_MEASURE, location, message);
    }

    static MeasureEvaluationException broken(String location, String message, Throwable cause) {
        return new MeasureEvaluationException(Category.BROKEN_MEASURE, location, message, cause);
    }

    static MeasureEvaluationException invalid(String location, String message) {
        return new MeasureEvaluationException(Category.INVALID_PARAMETER, location, message);
    }

    static MeasureEvaluationException notFound(String location, String message) {
        return new MeasureEvaluationException(Category.NOT_FOUND, location, message);
    }
}
