package org.concilium.federation.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.concilium.fhir.FhirTestBase;
import org.junit.jupiter.api.Test;

/** The key epochs on the real database, through Hibernate Reactive (Panache). */
@QuarkusTest
class KeyEpochRepositoryTest extends FhirTestBase {

    @Inject
    KeyEpochRepository keys;

    private static long freshEpoch() {
        return (System.nanoTime() & 0xFFFFFFFL) + 1_000_000_000L;
    }

    @Test
    void theFirstShareOfAnEpochStaysAndKeysOfEarlierEpochsAreErased() {
        long base = freshEpoch();
        keys.insertIfAbsent(new KeyEpoch(base, 0, new byte[] {1}, new byte[] {2}));
        KeyEpoch kept = keys.insertIfAbsent(new KeyEpoch(base, 1, new byte[] {9}, new byte[] {9}));
        assertThat(kept.sealedSecret()).as("a second share for an epoch is never stored").containsExactly(1);
        assertThat(kept.partyIndex()).isZero();
        keys.insertIfAbsent(new KeyEpoch(base + 1, 0, new byte[] {1}, new byte[] {2}));
        assertThat(keys.eraseBefore(base + 1)).isGreaterThanOrEqualTo(1);
        assertThat(keys.epoch(base)).isEmpty();
        assertThat(keys.epoch(base + 1)).isPresent();
    }

    @Test
    void aShareIsRevealedAgainstOneSetOfCommitmentsOnly() {
        long epoch = freshEpoch();
        assertThat(keys.pinCommitments(epoch, new byte[] {5})).as("no key row, nothing pinned").isFalse();
        keys.insertIfAbsent(new KeyEpoch(epoch, 0, new byte[] {1}, new byte[] {2}));
        assertThat(keys.pinCommitments(epoch, new byte[] {5})).isTrue();
        assertThat(keys.pinCommitments(epoch, new byte[] {5})).as("the same set again").isTrue();
        assertThat(keys.pinCommitments(epoch, new byte[] {6})).as("another set").isFalse();
        assertThat(keys.revealedAgainst(epoch)).contains(new byte[] {5});
    }

    @Test
    void theAgreedKeyIsStoredWithItsTranscript() {
        long epoch = freshEpoch();
        keys.insertIfAbsent(new KeyEpoch(epoch, 2, new byte[] {1}, new byte[] {2}));
        assertThat(keys.transcript(epoch)).isEmpty();
        keys.agree(epoch, new byte[] {7, 7}, "hash", new byte[] {5}, new byte[] {8});
        KeyEpoch agreed = keys.epoch(epoch).orElseThrow();
        assertThat(agreed.collectiveKey()).containsExactly(7, 7);
        assertThat(agreed.keyHash()).isEqualTo("hash");
        assertThat(keys.transcript(epoch)).contains(new byte[] {8});
        assertThat(keys.revealedAgainst(epoch)).contains(new byte[] {5});
    }
}
