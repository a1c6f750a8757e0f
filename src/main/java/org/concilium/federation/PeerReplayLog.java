package org.concilium.federation;

import io.quarkus.hibernate.reactive.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import org.concilium.federation.identity.ReplayStore;
import org.concilium.store.Transactions;

/**
 * The peer messages already accepted (table {@code peer_replay}): an append-only log, written once
 * per message and only asked "was this new?", so it has no entity: one native INSERT … ON CONFLICT
 * in a Hibernate Reactive session answers that without a read.
 */
@ApplicationScoped
public class PeerReplayLog implements ReplayStore {

    /**
     * Records a peer message against replays. Committed without waiting for the WAL flush: every
     * handler is idempotent on its own durable state (a replayed contribute or key switch gets the
     * stored answer or a refusal), so a record lost to an OS crash cannot release anything twice.
     */
    @Override
    public boolean recordIfNew(String sender, String queryId, int round, long nonce) {
        return Transactions.inTransaction(() -> Panache.getSession().flatMap(s -> s
                .createNativeQuery("SET LOCAL synchronous_commit = off").executeUpdate()
                .flatMap(x -> s.createNativeQuery("INSERT INTO peer_replay (sender, query_id, round, nonce)"
                        + " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING").setParameter(1, sender)
                        .setParameter(2, queryId).setParameter(3, round).setParameter(4, nonce).executeUpdate())))
                == 1;
    }
}
