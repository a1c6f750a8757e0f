package org.concilium.federation;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.concilium.fhir.FhirTestBase;
import org.junit.jupiter.api.Test;

/** The query state machine's persistence on the real database: end states, restarts, stalls, key erasure. */
@QuarkusTest
class QueryStateStoreTest extends FhirTestBase {

    @Inject
    NetworkStore store;
    @Inject
    Pool pool;

    @Test
    void aContributionAndItsStateAreWrittenTogetherAndAShareOnlyOnce() {
        String q = "state-" + System.nanoTime();
        assertThat(store.createQuery(q, "PARTICIPANT", "site-1", "m", new byte[] {1})).isTrue();
        store.saveContribution(q, new byte[] {7});
        assertThat(store.query(q).orElseThrow().state()).isEqualTo(QueryState.CONTRIBUTED);
        assertThat(store.saveShareOnce(q, "aa", new byte[] {1, 2})).containsExactly(1, 2);
        assertThat(store.query(q).orElseThrow().state()).isEqualTo(QueryState.SHARE_RELEASED);
        assertThat(store.saveShareOnce(q, "bb", new byte[] {3})).as("the first share stays").containsExactly(1, 2);
        assertThat(store.share(q).orElseThrow().ciphertext()).isEqualTo("aa");
    }

    @Test
    void aRestartAbortsWhatWasInFlightButNotAParticipantThatReleasedItsShare() {
        String inFlight = "inflight-" + System.nanoTime();
        String released = "released-" + System.nanoTime();
        store.createQuery(inFlight, "PARTICIPANT", "site-1", "m", new byte[] {1});
        store.saveContribution(inFlight, new byte[] {7});
        store.createQuery(released, "PARTICIPANT", "site-1", "m", new byte[] {1});
        store.saveContribution(released, new byte[] {7});
        store.saveShareOnce(released, "cc", new byte[] {1});
        store.abortUnfinished();
        assertThat(store.query(inFlight).orElseThrow().state()).isEqualTo(QueryState.ABORTED);
        assertThat(store.query(released).orElseThrow().state()).isEqualTo(QueryState.SHARE_RELEASED);
    }

    @Test
    void aParticipantWhoseEntryNodeWentSilentEndsAborted() {
        String stalled = "stalled-" + System.nanoTime();
        String recent = "recent-" + System.nanoTime();
        for (String q : new String[] {stalled, recent}) {
            store.createQuery(q, "PARTICIPANT", "site-1", "m", new byte[] {1});
            store.saveContribution(q, new byte[] {7});
        }
        pool.preparedQuery("UPDATE network_query SET updated_at = now() - interval '11 minutes' WHERE query_id = $1")
                .execute(Tuple.of(stalled)).await().indefinitely();
        assertThat(store.abortStalled(Duration.ofMinutes(10))).isGreaterThanOrEqualTo(1);
        assertThat(store.query(stalled).orElseThrow().state()).isEqualTo(QueryState.ABORTED);
        assertThat(store.query(recent).orElseThrow().state()).isEqualTo(QueryState.CONTRIBUTED);
    }

    @Test
    void keysOfEarlierEpochsAreErased() {
        long base = System.nanoTime() & 0xFFFFFFFL;
        store.insertKeyIfAbsent(new NetworkStore.KeyRow(base, 0, new byte[] {1}, new byte[] {2}, null, null));
        store.insertKeyIfAbsent(new NetworkStore.KeyRow(base + 1, 0, new byte[] {1}, new byte[] {2}, null, null));
        assertThat(store.eraseKeysBefore(base + 1)).isGreaterThanOrEqualTo(1);
        assertThat(store.key(base)).isEmpty();
        assertThat(store.key(base + 1)).isPresent();
    }
}
