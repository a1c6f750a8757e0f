package org.concilium.federation;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.concilium.fhir.FhirTestBase;
import org.junit.jupiter.api.Test;

/** The ε ledger on the real database: debits admit queries until the budget would be exceeded. */
@QuarkusTest
class PrivacyLedgerTest extends FhirTestBase {

    @Inject
    NetworkStore store;

    @Test
    void aQuerierIsAdmittedUntilItsBudgetIsSpent() {
        String alice = "alice-" + System.nanoTime();
        assertThat(store.admit(alice + "-q1", alice, 1.0, 2.5, "site-1", "m", new byte[] {1})).isTrue();
        assertThat(store.admit(alice + "-q2", alice, 1.0, 2.5, "site-1", "m", new byte[] {1})).isTrue();
        assertThat(store.admit(alice + "-q3", alice, 1.0, 2.5, "site-1", "m", new byte[] {1})).isFalse();
        assertThat(store.query(alice + "-q3")).as("a refused query leaves no trace").isEmpty();
        assertThat(store.query(alice + "-q2")).isPresent();
        assertThat(store.spent(alice)).isEqualTo(2.0);
        assertThat(store.admit(alice + "-q4", alice, 0.5, 2.5, "site-1", "m", new byte[] {1})).isTrue();
        assertThat(store.spent(alice)).isEqualTo(2.5);
    }

    @Test
    void queriersHaveTheirOwnBudgetsAndQueriesWithoutNoiseCostNothing() {
        String bob = "bob-" + System.nanoTime();
        String carol = "carol-" + System.nanoTime();
        assertThat(store.admit(bob + "-q1", bob, 2.0, 2.0, "site-1", "m", new byte[] {1})).isTrue();
        assertThat(store.admit(bob + "-q2", bob, 0.1, 2.0, "site-1", "m", new byte[] {1})).isFalse();
        assertThat(store.admit(carol + "-q1", carol, 2.0, 2.0, "site-1", "m", new byte[] {1})).isTrue();
        assertThat(store.admit(bob + "-q3", bob, 0, 2.0, "site-1", "m", new byte[] {1})).isTrue();
        assertThat(store.spent(bob)).isEqualTo(2.0);
    }
}
