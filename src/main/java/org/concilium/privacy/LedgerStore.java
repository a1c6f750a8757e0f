package org.concilium.privacy;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Persistence of the ε ledger (implemented by the store layer). {@link BudgetLedger#admit} reads and appends in
 * one call; the implementation must make that atomic per querier (one database transaction that also admits the
 * query, with the querier's row locked or serializable isolation), or two concurrent queries could overspend.
 */
public interface LedgerStore {
    /** Total ε debited to the querier so far. */
    BigDecimal spent(String querier);

    /** The debit already recorded for this query, if any (admission is idempotent per query id). */
    Optional<LedgerEntry> find(String querier, String queryId);

    void append(LedgerEntry entry);
}
