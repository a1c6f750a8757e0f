package org.concilium.federation.peer;

import java.util.regex.Pattern;

/**
 * A well-formed peer request this site refuses (policy, state machine, failed verification). The
 * {@link #category()} is a fixed upper-case name (never derived from data), e.g. the attack a check
 * recognised; it is what the refused site is told.
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

    /** One or more comma-separated names (e.g. {@code ROGUE_KEY_SHARE,COMMITMENTS_CHANGED}). */
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
