package org.concilium.privacy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** One ε debit: who, for which query, how much, when. */
public record LedgerEntry(String querier, String queryId, BigDecimal epsilon, Instant at) {
    public LedgerEntry {
        if (querier == null || querier.isBlank()) throw new IllegalArgumentException("querier required");
        if (queryId == null || queryId.isBlank()) throw new IllegalArgumentException("queryId required");
        if (epsilon == null || epsilon.signum() < 0) throw new IllegalArgumentException("epsilon must be >= 0");
        Objects.requireNonNull(at, "at");
    }
}
