package org.concilium.privacy;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Admits or refuses a query against its querier's ε budget. Pure decision logic over a {@link LedgerStore};
 * amounts are exact decimals so that e.g. ten debits of 0.1 exactly exhaust a budget of 1.
 *
 * <pre>{@code
 * BudgetLedger ledger = new BudgetLedger(ReleasePolicy.withDp(0.5, 5.0), store, Clock.systemUTC());
 * BudgetDecision d = ledger.admit("dr.house@site-a", queryId);   // inside the transaction that admits the query
 * if (!d.admitted()) return tooManyRequests(d.reason());
 * }</pre>
 */
public final class BudgetLedger {
    private final ReleasePolicy policy;
    private final LedgerStore store;
    private final Clock clock;

    public BudgetLedger(ReleasePolicy policy, LedgerStore store, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Debits the policy's per-query ε, or refuses without debiting. Re-admitting the same query id is free. */
    public BudgetDecision admit(String querier, String queryId) {
        if (querier == null || querier.isBlank()) throw new IllegalArgumentException("querier required");
        if (queryId == null || queryId.isBlank()) throw new IllegalArgumentException("queryId required");
        if (!policy.dpEnabled()) return BudgetDecision.admit(BigDecimal.ZERO, null, "differential privacy is off");
        BigDecimal budget = BigDecimal.valueOf(policy.budgetPerQuerier());
        BigDecimal cost = BigDecimal.valueOf(policy.epsilonPerQuery());
        BigDecimal spent = store.spent(querier);
        Optional<LedgerEntry> previous = store.find(querier, queryId);
        if (previous.isPresent()) {
            return BudgetDecision.admit(BigDecimal.ZERO, budget.subtract(spent), "query " + queryId + " already charged");
        }
        BigDecimal after = spent.add(cost);
        if (after.compareTo(budget) > 0) {
            return BudgetDecision.refuse(budget.subtract(spent).max(BigDecimal.ZERO),
                    "privacy budget exhausted: spent " + spent.toPlainString() + " of " + budget.toPlainString()
                            + ", query needs " + cost.toPlainString());
        }
        store.append(new LedgerEntry(querier, queryId, cost, clock.instant()));
        return BudgetDecision.admit(cost, budget.subtract(after), "charged");
    }
}
