package org.concilium.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HexFormat;
import org.concilium.fhir.FhirTestBase;
import org.concilium.mhe.bfv.BatchEncoder;
import org.concilium.mhe.bfv.Encryptor;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.multiparty.KeySwitchParty;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.PublicKey;
import org.concilium.mhe.rlwe.SecretKeyShare;
import org.junit.jupiter.api.Test;

/**
 * The query state machine's persistence on the real database: end states, restarts, stalls, the
 * commitment set, the one-share-per-c1 guard across restarts.
 */
@QuarkusTest
class QueryStateStoreTest extends FhirTestBase {

    @Inject
    NetworkQueryRepository store;
    @Inject
    KeySwitchShareRepository shares;
    @Inject
    PeerReplayLog replays;
    @Inject
    Pool pool;
    @Inject
    SiteReplica replica;
    @Inject
    ReplicaLeases leases;

    @Test
    void aContributionAndItsStateAreWrittenTogetherAndAShareOnlyOnce() {
        String q = "state-" + System.nanoTime();
        assertThat(store.createQuery(q, "PARTICIPANT", "site-1", "m", new byte[] {1})).isTrue();
        store.saveContribution(q, new byte[] {7}, new byte[] {8});
        assertThat(store.query(q).orElseThrow().state()).isEqualTo(QueryState.CONTRIBUTED);
        assertThat(shares.saveShareOnce(q, "aa", mask(q), new byte[] {1, 2})).containsExactly(1, 2);
        assertThat(store.query(q).orElseThrow().state()).isEqualTo(QueryState.SHARE_RELEASED);
        assertThat(shares.saveShareOnce(q, "bb", mask("other" + q), new byte[] {3})).as("the first share stays").containsExactly(1, 2);
        assertThat(shares.share(q).orElseThrow().ciphertext()).isEqualTo("aa");
    }

    @Test
    void aRestartAbortsWhatWasInFlightButNotAParticipantThatReleasedItsShare() {
        String inFlight = "inflight-" + System.nanoTime();
        String released = "released-" + System.nanoTime();
        store.createQuery(inFlight, "PARTICIPANT", "site-1", "m", new byte[] {1});
        store.saveContribution(inFlight, new byte[] {7}, new byte[] {8});
        store.createQuery(released, "PARTICIPANT", "site-1", "m", new byte[] {1});
        store.saveContribution(released, new byte[] {7}, new byte[] {8});
        shares.saveShareOnce(released, "cc", mask(released), new byte[] {1});
        leases.abortOrphans(replica.id());
        assertThat(store.query(inFlight).orElseThrow().state()).isEqualTo(QueryState.ABORTED);
        assertThat(store.query(released).orElseThrow().state()).isEqualTo(QueryState.SHARE_RELEASED);
    }

    @Test
    void aReplicaAbortsOnlyItsOwnOrphansAndTheQueriesWhoseLeaseLapsed() {
        String n = Long.toString(System.nanoTime());
        String live = "live-" + n;           // another replica runs it and renews its lease
        String dead = "dead-" + n;           // another replica ran it and died: lease lapsed
        String own = "own-" + n;             // this replica ran it before its restart
        String waiting = "waiting-" + n;     // a dead replica contributed; any replica may take the next round
        for (String q : new String[] {live, dead, own, waiting}) {
            store.createQuery(q, q.startsWith("waiting") ? "PARTICIPANT" : "ENTRY", "site-1", "m", new byte[] {1});
        }
        store.saveContribution(waiting, new byte[] {7}, new byte[] {8});
        lease(live, "replica-b", "now() + interval '1 minute'");
        lease(dead, "replica-c", "now() - interval '1 second'");
        lease(waiting, "replica-c", "now() - interval '1 second'");
        String self = "replica-a-" + n;
        lease(own, self, "now() + interval '1 minute'");

        leases.abortOrphans(self);
        assertThat(store.query(live).orElseThrow().state()).isEqualTo(QueryState.RECEIVED);
        assertThat(store.query(dead).orElseThrow().state()).isEqualTo(QueryState.ABORTED);
        assertThat(store.query(own).orElseThrow().state()).isEqualTo(QueryState.ABORTED);
        assertThat(store.query(waiting).orElseThrow().state()).as("left to the stalled-query sweep")
                .isEqualTo(QueryState.CONTRIBUTED);

        // replica-b stops renewing: once its lease lapsed the leader's sweep ends the query
        leases.renew("replica-b", Duration.ofMillis(-1000));
        assertThat(leases.abortExpired()).isGreaterThanOrEqualTo(1);
        assertThat(store.query(live).orElseThrow().state()).isEqualTo(QueryState.ABORTED);
    }

    @Test
    void aNewQueryRowIsLeasedToThisReplicaAndRenewed() {
        String q = "leased-" + System.nanoTime();
        store.createQuery(q, "ENTRY", "site-1", "m", new byte[] {1});
        var row = pool.preparedQuery("SELECT replica, lease_until > now() FROM network_query WHERE query_id = $1")
                .execute(Tuple.of(q)).await().indefinitely().iterator().next();
        assertThat(row.getString(0)).isEqualTo(replica.id());
        assertThat(row.getBoolean(1)).isTrue();
        assertThat(leases.abortExpired()).as("a live lease is not lapsed").isGreaterThanOrEqualTo(0);
        assertThat(store.query(q).orElseThrow().state()).isEqualTo(QueryState.RECEIVED);
    }

    private void lease(String queryId, String owner, String until) {
        pool.preparedQuery("UPDATE network_query SET replica = $2, lease_until = " + until + " WHERE query_id = $1")
                .execute(Tuple.of(queryId, owner)).await().indefinitely();
    }

    @Test
    void aParticipantWhoseEntryNodeWentSilentEndsAborted() {
        String stalled = "stalled-" + System.nanoTime();
        String recent = "recent-" + System.nanoTime();
        for (String q : new String[] {stalled, recent}) {
            store.createQuery(q, "PARTICIPANT", "site-1", "m", new byte[] {1});
            store.saveContribution(q, new byte[] {7}, new byte[] {8});
        }
        pool.preparedQuery("UPDATE network_query SET updated_at = now() - interval '11 minutes' WHERE query_id = $1")
                .execute(Tuple.of(stalled)).await().indefinitely();
        assertThat(store.abortStalled(Duration.ofMinutes(10))).isGreaterThanOrEqualTo(1);
        assertThat(store.query(stalled).orElseThrow().state()).isEqualTo(QueryState.ABORTED);
        assertThat(store.query(recent).orElseThrow().state()).isEqualTo(QueryState.CONTRIBUTED);
    }

    @Test
    void theCommitmentSetIsStoredOnceWithTheRevealedState() {
        String q = "reveal-" + System.nanoTime();
        store.createQuery(q, "PARTICIPANT", "site-1", "m", new byte[] {1});
        store.saveContribution(q, new byte[] {7}, new byte[] {8});
        assertThat(store.contribution(q).orElseThrow().commitment()).containsExactly(8);
        assertThat(store.saveCommitments(q, new byte[] {9})).isTrue();
        assertThat(store.query(q).orElseThrow().state()).isEqualTo(QueryState.REVEALED);
        assertThat(store.saveCommitments(q, new byte[] {10})).as("only from CONTRIBUTED").isFalse();
        assertThat(store.contribution(q).orElseThrow().commitments()).containsExactly(9);
        assertThat(store.contribution(q).orElseThrow().envelope()).as("the contribution is not rewritten").containsExactly(7);
    }

    @Test
    void theDatabaseRefusesASecondShareForTheSameC1InAnotherQuery() {
        String first = "c1-first-" + System.nanoTime();
        String second = "c1-second-" + System.nanoTime();
        for (String q : new String[] {first, second}) {
            store.createQuery(q, "PARTICIPANT", "site-1", "m", new byte[] {1});
            store.saveContribution(q, new byte[] {7}, new byte[] {8});
            store.saveCommitments(q, new byte[] {9});
        }
        String mask = mask(first);
        shares.saveShareOnce(first, "sum-1", mask, new byte[] {1});
        assertThatThrownBy(() -> shares.saveShareOnce(second, "sum-2", mask, new byte[] {2}))
                .isInstanceOf(SecondShareForMask.class);
        assertThat(shares.share(second)).as("nothing stored, so nothing sent").isEmpty();
        assertThat(store.query(second).orElseThrow().state()).isEqualTo(QueryState.REVEALED);
        assertThat(shares.shareForMask(mask)).contains(first);
    }

    @Test
    void theOneShareGuardRebuiltFromTheDatabaseRefusesTheSameC1WithAnotherC0() {
        Parameters params = NamedParameters.DEFAULT.parameters();
        SecretKeyShare secret = SecretKeyShare.generate(params, 0);
        PublicKey key = KeyGenerator.generateKeyPair(params).publicKey();
        Ciphertext shared = new Encryptor(key).encrypt(new BatchEncoder(params).encode(new long[params.n()]));
        String q = "guard-" + System.nanoTime();
        store.createQuery(q, "PARTICIPANT", "site-1", "m", new byte[] {1});
        store.saveContribution(q, new byte[] {7}, new byte[] {8});
        shares.saveShareOnce(q, shared.fingerprint().hex(), shared.maskFingerprint().hex(), new byte[] {1});

        // what CollectiveKeys does after a restart: the guard from the persisted c1 fingerprints
        KeySwitchParty restored = new KeySwitchParty(secret, shares.sharedCiphertexts().stream()
                .map(h -> Fingerprint.fromBytes(HexFormat.of().parseHex(h))).toList());
        Ciphertext sameC1 = Ciphertext.of(params, shared.c1(), shared.c1());
        assertThatThrownBy(() -> restored.genPcksShare(sameC1, key)).isInstanceOf(IllegalStateException.class);
        Ciphertext fresh = new Encryptor(key).encrypt(new BatchEncoder(params).encode(new long[params.n()]));
        assertThat(restored.genPcksShare(fresh, key)).as("a fresh c1 is served").isNotNull();
    }

    @Test
    void aPeerMessageIsRecordedOnceAndItsReplayRefused() {
        String q = "replay-" + System.nanoTime();
        assertThat(replays.recordIfNew("site-2", q, 20, 7L)).isTrue();
        assertThat(replays.recordIfNew("site-2", q, 20, 7L)).as("the same message again").isFalse();
        assertThat(replays.recordIfNew("site-2", q, 21, 7L)).as("another round").isTrue();
    }

    @Test
    void theStateMachineNeverLeavesATerminalState() {
        String q = "terminal-" + System.nanoTime();
        store.createQuery(q, "ENTRY", "site-1", "m", new byte[] {1});
        assertThat(store.createQuery(q, "ENTRY", "site-1", "m", new byte[] {1})).as("a known id").isFalse();
        store.setState(q, QueryState.ABORTED, "first reason");
        store.setState(q, QueryState.DONE, "late");
        NetworkQuery aborted = store.query(q).orElseThrow();
        assertThat(aborted.state()).isEqualTo(QueryState.ABORTED);
        assertThat(aborted.detail()).isEqualTo("first reason");
        assertThat(store.query("no-such-" + q)).isEmpty();
    }

    /** A stand-in c1 fingerprint, hex like the real ones. */
    private static String mask(String seed) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
