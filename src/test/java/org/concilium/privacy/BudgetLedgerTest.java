package org.concilium.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BudgetLedgerTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void tenDebitsOfOneTenthExhaustABudgetOfOne() {
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        BudgetLedger ledger = new BudgetLedger(ReleasePolicy.withDp(0.1, 1.0), store, clock);
        for (int i = 0; i < 10; i++) assertTrue(ledger.admit("alice", "q" + i).admitted(), "query " + i);
        BudgetDecision refused = ledger.admit("alice", "q10");
        assertFalse(refused.admitted());
        assertEquals(0, refused.remaining().signum());
        assertTrue(refused.reason().contains("exhausted"));
        assertEquals(10, store.entries().size(), "a refusal debits nothing");
        assertTrue(ledger.admit("bob", "q10").admitted(), "budgets are per querier");
    }

    @Test
    void admittingTheSameQueryTwiceChargesOnce() {
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        BudgetLedger ledger = new BudgetLedger(ReleasePolicy.withDp(0.5, 1.0), store, clock);
        assertEquals(new BigDecimal("0.5"), ledger.admit("alice", "q1").charged());
        BudgetDecision again = ledger.admit("alice", "q1");
        assertTrue(again.admitted());
        assertEquals(0, again.charged().signum());
        assertEquals(new BigDecimal("0.5"), store.spent("alice"));
    }

    @Test
    void withoutDpNothingIsCharged() {
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        BudgetLedger ledger = new BudgetLedger(ReleasePolicy.suppressionOnly(), store, clock);
        assertTrue(ledger.admit("alice", "q1").admitted());
        assertTrue(store.entries().isEmpty());
    }

    @Test
    void unsafePoliciesCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new ReleasePolicy(0, false, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReleasePolicy(11, true, 0, 1e-6, 1));
        assertThrows(IllegalArgumentException.class, () -> new ReleasePolicy(11, true, 1, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ReleasePolicy(11, true, 1, 1e-6, 0.5));
        assertEquals(11, ReleasePolicy.suppressionOnly().k());
        assertEquals(0, ReleasePolicy.suppressionOnly().skellamMu(10));
        assertTrue(ReleasePolicy.withDp(1, 10).skellamMu(10) > 0);
    }
}
