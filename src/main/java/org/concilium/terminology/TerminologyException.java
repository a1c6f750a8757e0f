package org.concilium.terminology;

/** A terminology request this site cannot answer: an unknown ValueSet or CodeSystem, or a bad request. */
public final class TerminologyException extends RuntimeException {

    public enum Kind { NOT_FOUND, INVALID }

    private final Kind kind;

    private TerminologyException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static TerminologyException notFound(String message) {
        return new TerminologyException(Kind.NOT_FOUND, message);
    }

    public static TerminologyException invalid(String message) {
        return new TerminologyException(Kind.INVALID, message);
    }

    public Kind kind() {
        return kind;
    }
}
