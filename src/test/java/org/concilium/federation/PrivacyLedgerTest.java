package org.concilium.federation;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.concilium.fhir.FhirTestBase;
import org.junit.jupiter.api.Test;

/**
 * Each site's own ε ledger on the real database: per (entry node, querier), debited in the
 * transaction that admits the query at the site, refunded when the query ended without this
 * site's share.
 */
@QuarkusTest
class PrivacyLedgerTest extends FhirTestBase {

    @Inject
    NetworkQueryRepository store;
    @Inject
    KeySwitchShareRepository shares;

    private NetworkQueryRepository.Admission admit(String q, String entry, String querier, double epsilon, double budget) {
        return store.admitParticipant(q, entry, querier, epsilon, budget, "m", new byte[] {1});
    }

    @Test
    void aQuerierIsAdmittedThroughAnEntryNodeUntilItsBudgetIsSpentThere() {
        String alice = "alice-" + System.nanoTime();
        assertThat(admit(alice + "-q1", "site-1", alice, 1.0, 2.5)).isEqualTo(NetworkQueryRepository.Admission.ADMITTED);
        assertThat(admit(alice + "-q2", "site-1", alice, 1.0, 2.5)).isEqualTo(NetworkQueryRepository.Admission.ADMITTED);
        assertThat(admit(alice + "-q3", "site-1", alice, 1.0, 2.5)).isEqualTo(NetworkQueryRepository.Admission.BUDGET_EXHAUSTED);
        assertThat(store.query(alice + "-q3")).as("a refused query leaves no trace").isEmpty();
        assertThat(admit(alice + "-q2", "site-1", alice, 1.0, 2.5)).as("a retry is no second debit")
                .isEqualTo(NetworkQueryRepository.Admission.KNOWN);
        assertThat(store.spent("site-1", alice)).isEqualTo(2.0);
        assertThat(admit(alice + "-q4", "site-2", alice, 1.0, 2.5)).as("another entry node, another ledger")
                .isEqualTo(NetworkQueryRepository.Admission.ADMITTED);
        assertThat(store.spent("site-2", alice)).isEqualTo(1.0);
    }

    @Test
    void theEntryNodeChecksWithoutDebitingItsParticipantRoleDebits() {
        String bob = "bob-" + System.nanoTime();
        assertThat(store.admit("entry:" + bob + "-q1", bob, 2.0, 2.0, "site-1", "m", new byte[] {1})).isTrue();
        assertThat(store.spent("site-1", bob)).as("no debit at entry admission").isZero();
        assertThat(admit(bob + "-q1", "site-1", bob, 2.0, 2.0)).isEqualTo(NetworkQueryRepository.Admission.ADMITTED);
        assertThat(store.admit("entry:" + bob + "-q2", bob, 2.0, 2.0, "site-1", "m", new byte[] {1})).isFalse();
        assertThat(admit(bob + "-q3", "site-1", bob, 0, 2.0)).as("no noise, no charge")
                .isEqualTo(NetworkQueryRepository.Admission.ADMITTED);
    }

    @Test
    void anAbortedQueryIsRefundedOnlyIfThisSiteReleasedNoShare() throws Exception {
        String carol = "carol-" + System.nanoTime();
        admit(carol + "-aborted", "site-1", carol, 1.0, 10);
        admit(carol + "-shared", "site-1", carol, 1.0, 10);
        store.setState(carol + "-aborted", QueryState.ABORTED, "test");
        shares.saveShareOnce(carol + "-shared", "sum", mask(carol), new byte[] {1});
        store.setState(carol + "-shared", QueryState.ABORTED, "test");
        assertThat(store.spent("site-1", carol)).as("the shared one stays charged").isEqualTo(1.0);
    }

    /** A stand-in c1 fingerprint, 32 bytes in hex like the real ones. */
    private static String mask(String seed) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
