package org.concilium.federation;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.concilium.federation.identity.ReplayStore;

/**
 * Persistence of the network protocol (keys, query state machine, contributions, released
 * shares, replay log, reports). Protocol code runs on worker threads, so these calls block.
 */
@ApplicationScoped
public class NetworkStore implements ReplayStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The one state transition: never out of a terminal state (DONE, ABORTED). */
    private static final String ADVANCE = "UPDATE network_query SET state = $2, detail = coalesce($3, detail),"
            + " updated_at = now() WHERE query_id = $1 AND state NOT IN ('DONE', 'ABORTED')";

    /** One epoch's key material as stored. */
    public record KeyRow(long epoch, int partyIndex, byte[] sealedSecret, byte[] ckgShare, byte[] collectiveKey,
            String keyHash) {
    }

    /** One query as this site knows it. */
    public record QueryRow(String queryId, String role, QueryState state, String entrySite, String measureUrl,
            byte[] request, String detail) {
    }

    @Inject
    Pool pool;

    public Optional<KeyRow> key(long epoch) {
        var rows = pool.preparedQuery("SELECT epoch, party_index, sealed_secret, ckg_share, collective_key, key_hash"
                + " FROM network_key WHERE epoch = $1").execute(Tuple.of(epoch)).await().atMost(TIMEOUT);
        for (Row r : rows) {
            return Optional.of(new KeyRow(r.getLong(0), r.getInteger(1), bytes(r, 2), bytes(r, 3), bytes(r, 4),
                    r.getString(5)));
        }
        return Optional.empty();
    }

    /** Stores a freshly generated share unless one exists for the epoch; returns what is stored. */
    public KeyRow insertKeyIfAbsent(KeyRow k) {
        pool.preparedQuery("INSERT INTO network_key (epoch, party_index, sealed_secret, ckg_share)"
                + " VALUES ($1, $2, $3, $4) ON CONFLICT (epoch) DO NOTHING")
                .execute(Tuple.of(k.epoch(), k.partyIndex(), buf(k.sealedSecret()), buf(k.ckgShare())))
                .await().atMost(TIMEOUT);
        return key(k.epoch()).orElseThrow();
    }

    /** Erases the key material (sealed secret share included) of every epoch before {@code epoch}. */
    public int eraseKeysBefore(long epoch) {
        return pool.preparedQuery("DELETE FROM network_key WHERE epoch < $1").execute(Tuple.of(epoch))
                .await().atMost(TIMEOUT).rowCount();
    }

    /**
     * ε of a (entry node, querier) pair at this site. A query that ended ABORTED without this site
     * releasing its share is refunded: without that share (N-of-N) its sum is never decrypted, so
     * nothing of it was released (docs/privacy.md).
     */
    private static final String SPENT = "SELECT coalesce(sum(l.epsilon), 0)::float8 FROM privacy_ledger l"
            + " LEFT JOIN network_query q ON q.query_id = l.query_id WHERE l.entry_site = $1 AND l.querier = $2"
            + " AND NOT (q.state = 'ABORTED' AND NOT EXISTS (SELECT 1 FROM keyswitch_share s WHERE s.query_id = l.query_id))";
    private static final String LOCK_LEDGER = "SELECT pg_advisory_xact_lock(hashtext($1 || '|' || $2))";

    /**
     * Admits an entry-node query: creates its row unless the querier's budget through this entry
     * node is spent already at this site. Nothing is debited here: the entry node is also a
     * participant, and its participant role debits (one debit per site per query).
     */
    public boolean admit(String queryId, String querier, double epsilon, double budget, String entrySite,
            String measureUrl, byte[] request) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_LEDGER).execute(Tuple.of(entrySite, querier))
                .flatMap(x -> conn.preparedQuery(SPENT).execute(Tuple.of(entrySite, querier)))
                .flatMap(rows -> {
                    double spent = rows.iterator().next().getDouble(0);
                    if (epsilon > 0 && spent + epsilon > budget + 1e-9) {
                        return io.smallrye.mutiny.Uni.createFrom().item(false);
                    }
                    return conn.preparedQuery("INSERT INTO network_query (query_id, role, state,"
                            + " entry_site, measure_url, request) VALUES ($1, 'ENTRY', $2, $3, $4, $5)")
                            .execute(Tuple.of(queryId, QueryState.RECEIVED.name(), entrySite, measureUrl, buf(request)))
                            .replaceWith(true);
                })).await().atMost(TIMEOUT);
    }

    /** How a participant's admission of a query ended. */
    public enum Admission { ADMITTED, KNOWN, BUDGET_EXHAUSTED }

    /**
     * Admits a query at a participant: in one transaction, serialised per (entry node, querier),
     * creates the query row and debits {@code epsilon} from the pair's budget at this site. A known
     * query id changes nothing (KNOWN); a debit beyond {@code budget} writes nothing.
     */
    public Admission admitParticipant(String queryId, String entrySite, String querier, double epsilon, double budget,
            String measureUrl, byte[] request) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_LEDGER).execute(Tuple.of(entrySite, querier))
                .flatMap(x -> conn.preparedQuery("SELECT 1 FROM network_query WHERE query_id = $1").execute(Tuple.of(queryId)))
                .flatMap(known -> known.size() > 0 ? io.smallrye.mutiny.Uni.createFrom().item(Admission.KNOWN)
                        : conn.preparedQuery(SPENT).execute(Tuple.of(entrySite, querier)).flatMap(rows -> {
                            double spent = rows.iterator().next().getDouble(0);
                            if (epsilon > 0 && spent + epsilon > budget + 1e-9) {
                                return io.smallrye.mutiny.Uni.createFrom().item(Admission.BUDGET_EXHAUSTED);
                            }
                            var debit = epsilon > 0
                                    ? conn.preparedQuery("INSERT INTO privacy_ledger (query_id, querier, epsilon, entry_site)"
                                            + " VALUES ($1, $2, $3, $4)").execute(Tuple.of(queryId, querier, epsilon, entrySite))
                                            .replaceWithVoid()
                                    : io.smallrye.mutiny.Uni.createFrom().voidItem();
                            return debit.flatMap(v -> conn.preparedQuery("INSERT INTO network_query (query_id, role,"
                                    + " state, entry_site, measure_url, request) VALUES ($1, 'PARTICIPANT', $2, $3, $4, $5)")
                                    .execute(Tuple.of(queryId, QueryState.RECEIVED.name(), entrySite, measureUrl,
                                            buf(request))))
                                    .replaceWith(Admission.ADMITTED);
                        })))
                .await().atMost(TIMEOUT);
    }

    /** ε a querier has spent through an entry node at this site (refunds deducted). */
    public double spent(String entrySite, String querier) {
        return pool.preparedQuery(SPENT).execute(Tuple.of(entrySite, querier)).await().atMost(TIMEOUT).iterator().next()
                .getDouble(0);
    }

    /** Creates the query row; false when the id is already known (a replayed or duplicate query). */
    public boolean createQuery(String queryId, String role, String entrySite, String measureUrl, byte[] request) {
        var r = pool.preparedQuery("INSERT INTO network_query (query_id, role, state, entry_site, measure_url, request)"
                + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (query_id) DO NOTHING")
                .execute(Tuple.of(queryId, role, QueryState.RECEIVED.name(), entrySite, measureUrl, buf(request)))
                .await().atMost(TIMEOUT);
        return r.rowCount() == 1;
    }

    public Optional<QueryRow> query(String queryId) {
        var rows = pool.preparedQuery("SELECT query_id, role, state, entry_site, measure_url, request, detail"
                + " FROM network_query WHERE query_id = $1").execute(Tuple.of(queryId)).await().atMost(TIMEOUT);
        for (Row r : rows) {
            return Optional.of(new QueryRow(r.getString(0), r.getString(1), QueryState.valueOf(r.getString(2)),
                    r.getString(3), r.getString(4), bytes(r, 5), r.getString(6)));
        }
        return Optional.empty();
    }

    /** Moves a query forward; terminal states never change again. */
    public void setState(String queryId, QueryState state, String detail) {
        pool.preparedQuery(ADVANCE).execute(Tuple.of(queryId, state.name(), detail)).await().atMost(TIMEOUT);
    }

    /**
     * At start-up: every query that was in flight when the node stopped ends ABORTED. A participant
     * that released its share has finished its part (SHARE_RELEASED is its last state) and stays so.
     */
    public int abortUnfinished() {
        return pool.query("UPDATE network_query SET state = 'ABORTED', detail = 'node restarted during the query',"
                + " updated_at = now() WHERE state NOT IN ('DONE', 'ABORTED')"
                + " AND NOT (role = 'PARTICIPANT' AND state = 'SHARE_RELEASED')").execute().await().atMost(TIMEOUT)
                .rowCount();
    }

    /**
     * Participant queries that contributed but heard nothing from their entry node for {@code idle}
     * (it died, or gave up) end ABORTED: no share will be released for them any more.
     */
    public int abortStalled(Duration idle) {
        return pool.preparedQuery("UPDATE network_query SET state = 'ABORTED', detail = 'the entry node never asked"
                + " for the key switch', updated_at = now() WHERE role = 'PARTICIPANT' AND state IN ('CONTRIBUTED', 'REVEALED')"
                + " AND updated_at < now() - make_interval(secs => $1)").execute(Tuple.of((double) idle.toSeconds()))
                .await().atMost(TIMEOUT).rowCount();
    }

    /**
     * Stores this site's contribution with the signed commitment to it and moves the query to
     * CONTRIBUTED, in one transaction.
     */
    public void saveContribution(String queryId, byte[] envelope, byte[] commitment) {
        pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO site_contribution (query_id, envelope, commitment)"
                + " VALUES ($1, $2, $3)").execute(Tuple.of(queryId, buf(envelope), buf(commitment)))
                .flatMap(x -> conn.preparedQuery(ADVANCE).execute(Tuple.of(queryId, QueryState.CONTRIBUTED.name(), null))))
                .await().atMost(TIMEOUT);
    }

    /** This site's contribution to a query: the signed ciphertext, its signed commitment, the commitment set once revealed. */
    public record ContributionRow(byte[] envelope, byte[] commitment, byte[] commitments) {
    }

    public Optional<ContributionRow> contribution(String queryId) {
        var rows = pool.preparedQuery("SELECT envelope, commitment, commitments FROM site_contribution WHERE query_id = $1")
                .execute(Tuple.of(queryId)).await().atMost(TIMEOUT);
        for (Row r : rows) {
            return Optional.of(new ContributionRow(bytes(r, 0), bytes(r, 1), bytes(r, 2)));
        }
        return Optional.empty();
    }

    /**
     * Stores the verified commitment set this site reveals against and moves the query from
     * CONTRIBUTED to REVEALED, in one transaction; false (nothing written) when the query is not
     * CONTRIBUTED any more.
     */
    public boolean saveCommitments(String queryId, byte[] commitments) {
        // no wait for the WAL flush (one fsync less in the reveal round): a set lost to an OS crash
        // leaves the query CONTRIBUTED, which start-up turns into ABORTED, so no share can follow it;
        // and the share's own (synchronous) commit flushes this one first
        return pool.withTransaction(conn -> conn.query("SET LOCAL synchronous_commit = off").execute()
                .flatMap(x -> conn.preparedQuery("UPDATE network_query SET state = 'REVEALED',"
                + " updated_at = now() WHERE query_id = $1 AND state = 'CONTRIBUTED'").execute(Tuple.of(queryId))
                .flatMap(moved -> moved.rowCount() == 0 ? io.smallrye.mutiny.Uni.createFrom().item(false)
                        : conn.preparedQuery("UPDATE site_contribution SET commitments = $2 WHERE query_id = $1")
                                .execute(Tuple.of(queryId, buf(commitments))).replaceWith(true))))
                .await().atMost(TIMEOUT);
    }

    /** A second share for a c1 this site already released a share for (the database refused it). */
    public static class SecondShareForMask extends RuntimeException {
        public SecondShareForMask(String mask) {
            super("a share for c1 " + mask + " is stored already");
        }
    }

    /**
     * Persists the share before it is sent, and moves the query to SHARE_RELEASED, in one
     * transaction. Returns the share that is stored for the query: the given one, or the one
     * stored earlier (which the caller must re-send instead). The UNIQUE constraint on
     * {@code mask} refuses a share for a c1 released in another query: {@link SecondShareForMask}.
     */
    public byte[] saveShareOnce(String queryId, String ciphertextFingerprint, String mask, byte[] envelope) {
        try {
            return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO keyswitch_share (query_id, ciphertext,"
                    + " mask, envelope) VALUES ($1, $2, $3, $4) ON CONFLICT (query_id) DO NOTHING")
                    .execute(Tuple.of(queryId, ciphertextFingerprint, mask, buf(envelope)))
                    .flatMap(x -> conn.preparedQuery(ADVANCE).execute(Tuple.of(queryId, QueryState.SHARE_RELEASED.name(),
                            null)))
                    .flatMap(x -> conn.preparedQuery("SELECT envelope FROM keyswitch_share WHERE query_id = $1")
                            .execute(Tuple.of(queryId))))
                    .await().atMost(TIMEOUT).iterator().next().getBuffer(0).getBytes();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                    throw new SecondShareForMask(mask);
                }
            }
            throw e;
        }
    }

    /** The query in which this site released a share for a sum with this c1 fingerprint, if any. */
    public Optional<String> shareForMask(String mask) {
        var rows = pool.preparedQuery("SELECT query_id FROM keyswitch_share WHERE mask = $1").execute(Tuple.of(mask))
                .await().atMost(TIMEOUT);
        for (Row r : rows) {
            return Optional.of(r.getString(0));
        }
        return Optional.empty();
    }

    /** The share released for a query, with the fingerprint of the ciphertext it is for. */
    public record ShareRow(String ciphertext, byte[] envelope) {
    }

    public Optional<ShareRow> share(String queryId) {
        var rows = pool.preparedQuery("SELECT ciphertext, envelope FROM keyswitch_share WHERE query_id = $1")
                .execute(Tuple.of(queryId)).await().atMost(TIMEOUT);
        for (Row r : rows) {
            return Optional.of(new ShareRow(r.getString(0), bytes(r, 1)));
        }
        return Optional.empty();
    }

    /**
     * The c1 ("mask") fingerprints of every sum this site released a share for: what seeds the
     * one-share guard ({@code KeySwitchParty} compares c1, the part the secret multiplies).
     */
    public List<String> sharedCiphertexts() {
        List<String> out = new ArrayList<>();
        pool.query("SELECT mask FROM keyswitch_share WHERE mask IS NOT NULL").execute().await().atMost(TIMEOUT)
                .forEach(r -> out.add(r.getString(0)));
        return out;
    }

    /**
     * Records a peer message against replays. Committed without waiting for the WAL flush: every
     * handler is idempotent on its own durable state (a replayed contribute or key switch gets the
     * stored answer or a refusal), so a record lost to an OS crash cannot release anything twice.
     */
    @Override
    public boolean recordIfNew(String sender, String queryId, int round, long nonce) {
        return pool.withTransaction(conn -> conn.query("SET LOCAL synchronous_commit = off").execute()
                .flatMap(x -> conn.preparedQuery("INSERT INTO peer_replay (sender, query_id, round, nonce)"
                        + " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING").execute(Tuple.of(sender, queryId, round, nonce))))
                .await().atMost(TIMEOUT).rowCount() == 1;
    }

    /** Stores the entry node's released report and marks its query DONE, in one transaction. */
    public void saveReport(String entryKey, String queryId, String measureUrl, String json) {
        pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO network_report (id, query_id, measure_url, body)"
                + " VALUES ($1, $1, $2, $3::text::jsonb)").execute(Tuple.of(queryId, measureUrl, json))
                .flatMap(x -> conn.preparedQuery(ADVANCE).execute(Tuple.of(entryKey, QueryState.DONE.name(), null))))
                .await().atMost(TIMEOUT);
    }

    public Optional<String> report(String id) {
        var rows = pool.preparedQuery("SELECT body::text FROM network_report WHERE id = $1").execute(Tuple.of(id))
                .await().atMost(TIMEOUT);
        for (Row r : rows) {
            return Optional.of(r.getString(0));
        }
        return Optional.empty();
    }

    public List<String> reports(String measureUrl, int limit) {
        List<String> out = new ArrayList<>();
        String sql = "SELECT body::text FROM network_report" + (measureUrl == null ? "" : " WHERE measure_url = $2")
                + " ORDER BY created_at DESC LIMIT $1";
        Tuple args = measureUrl == null ? Tuple.of(limit) : Tuple.of(limit, measureUrl);
        pool.preparedQuery(sql).execute(args).await().atMost(TIMEOUT).forEach(r -> out.add(r.getString(0)));
        return out;
    }

    private static io.vertx.core.buffer.Buffer buf(byte[] b) {
        return b == null ? null : io.vertx.core.buffer.Buffer.buffer(b);
    }

    private static byte[] bytes(Row r, int i) {
        var b = r.getBuffer(i);
        return b == null ? null : b.getBytes();
    }
}
