package org.concilium.privacy;

import java.math.BigDecimal;

/** Outcome of asking the ledger to admit a query. */
public record BudgetDecision(boolean admitted, BigDecimal charged, BigDecimal remaining, String reason) {
    static BudgetDecision admit(BigDecimal charged, BigDecimal remaining, String reason) {
        return new BudgetDecision(true, charged, remaining, reason);
    }

    static BudgetDecision refuse(BigDecimal remaining, String reason) {
        return new BudgetDecision(false, BigDecimal.ZERO, remaining, reason);
    }
}
