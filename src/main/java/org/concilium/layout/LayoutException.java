package org.concilium.layout;

/**
 * A Measure cannot be laid out for a network query, or a report / vector does not fit its layout.
 * Always thrown instead of producing a vector or report that could be silently wrong.
 */
public final class LayoutException extends RuntimeException {
    public LayoutException(String message) {
        super(message);
    }
}
