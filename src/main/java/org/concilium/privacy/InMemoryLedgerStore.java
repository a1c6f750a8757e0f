package org.concilium.privacy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link LedgerStore} for tests and single-process demos; synchronized, nothing survives a restart. */
public final class InMemoryLedgerStore implements LedgerStore {
    private final List<LedgerEntry> entries = new ArrayList<>();

    @Override
    public synchronized BigDecimal spent(String querier) {
        return entries.stream().filter(e -> e.querier().equals(querier)).map(LedgerEntry::epsilon)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Override
    public synchronized Optional<LedgerEntry> find(String querier, String queryId) {
        return entries.stream().filter(e -> e.querier().equals(querier) && e.queryId().equals(queryId)).findFirst();
    }

    @Override
    public synchronized void append(LedgerEntry entry) {
        entries.add(entry);
    }

    public synchronized List<LedgerEntry> entries() {
        return List.copyOf(entries);
    }
}
