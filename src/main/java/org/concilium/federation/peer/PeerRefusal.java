package org.concilium.federation.peer;

import java.util.regex.Pattern;

/**
 * A well-formed peer request this site refuses (policy, state machine, failed verification). Only
 * the {@link #category()} (a fixed upper-case name, never derived from data) crosses to the other
 * site, with a correlation id; the detail message stays in this site's log under that id, because
 * detail can quote what it refused (and evaluation errors can quote a patient's values).
 */
public class PeerRefusal extends RuntimeException {

    private static final Pattern CATEGORY = Pattern.compile("[A-Z][A-Z0-9_]{0,63}(,[A-Z][A-Z0-9_]{0,63})*");

    private final int status;
    private final String category;

    public PeerRefusal(int status, String category, String detail) {
        super(detail);
        if (!CATEGORY.matcher(category).matches()) {
            throw new IllegalArgumentException("not a refusal category: " + category);
        }
        this.status = status;
        this.category = category;
    }

    /** A refusal whose category is the generic one of its status. */
    public PeerRefusal(int status, String detail) {
        this(status, generic(status), detail);
    }

    public int status() {
        return status;
    }

    /** What crosses the wire: one or more comma-separated names (e.g. {@code COMMITMENT_MISMATCH,CANCELLATION}). */
    public String category() {
        return category;
    }

    static String generic(int status) {
        return switch (status) {
            case 400 -> "MALFORMED";
            case 403 -> "FORBIDDEN";
            case 404 -> "UNKNOWN_QUERY";
            case 409 -> "CONFLICT";
            case 422 -> "REFUSED";
            default -> "ERROR";
        };
    }
}
