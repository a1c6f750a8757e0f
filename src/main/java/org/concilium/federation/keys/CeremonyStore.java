package org.concilium.federation.keys;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/** The key ceremony's durable state per epoch (columns of {@code network_key}, V20). Calls block. */
@ApplicationScoped
public class CeremonyStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    /**
     * Records, before the share leaves, the commitments this site reveals its share against; true
     * when they are the first or the same as before, false when the epoch is pinned to others.
     */
    boolean pinCommitments(long epoch, byte[] fingerprint) {
        return pool.preparedQuery("UPDATE network_key SET commitments_revealed = $2 WHERE epoch = $1"
                + " AND (commitments_revealed IS NULL OR commitments_revealed = $2)")
                .execute(Tuple.of(epoch, buf(fingerprint))).await().atMost(TIMEOUT).rowCount() == 1;
    }

    Optional<byte[]> revealedAgainst(long epoch) {
        return bytes("SELECT commitments_revealed FROM network_key WHERE epoch = $1", epoch);
    }

    /** Stores the verified key with the transcript it was derived from, and the commitments, at once. */
    void agree(long epoch, byte[] key, String hash, byte[] commitments, byte[] transcript) {
        pool.preparedQuery("UPDATE network_key SET collective_key = $2, key_hash = $3, commitments_revealed = $4,"
                + " transcript = $5 WHERE epoch = $1")
                .execute(Tuple.of(epoch, buf(key), hash, buf(commitments), buf(transcript))).await().atMost(TIMEOUT);
    }

    Optional<byte[]> transcript(long epoch) {
        return bytes("SELECT transcript FROM network_key WHERE epoch = $1", epoch);
    }

    private Optional<byte[]> bytes(String sql, long epoch) {
        for (Row r : pool.preparedQuery(sql).execute(Tuple.of(epoch)).await().atMost(TIMEOUT)) {
            var b = r.getBuffer(0);
            return Optional.ofNullable(b == null ? null : b.getBytes());
        }
        return Optional.empty();
    }

    private static io.vertx.core.buffer.Buffer buf(byte[] b) {
        return io.vertx.core.buffer.Buffer.buffer(b);
    }
}
