package org.concilium.federation;

/** The querier's differential-privacy budget cannot pay for this query: 429, nothing evaluated. */
public class BudgetExhaustedException extends RuntimeException {
    public BudgetExhaustedException(String message) {
        super(message);
    }
}
