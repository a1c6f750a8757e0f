package org.concilium.privacy.ledger;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.concilium.store.Transactions;

/**
 * This site's privacy ledger per (entry node, querier) (Panache over {@code privacy_ledger}). The
 * reactive methods take part in the caller's transaction (the admission of a query writes its
 * query row and its debit in one); {@link #spent} blocks.
 */
@ApplicationScoped
public class PrivacyLedger implements PanacheRepositoryBase<LedgerEntry, String> {

    /**
     * ε of a pair at this site. A query that ended ABORTED without this site releasing its share is
     * refunded: without that share (N-of-N) its sum is never decrypted, so nothing of it was
     * released (docs/privacy.md). The refund rule reads the protocol's tables by name; SQL, not
     * entities, so that privacy/ depends on nothing of the federation.
     */
    private static final String SPENT = "SELECT coalesce(sum(l.epsilon), 0)::float8 FROM privacy_ledger l"
            + " LEFT JOIN network_query q ON q.query_id = l.query_id WHERE l.entry_site = ?1 AND l.querier = ?2"
            + " AND NOT (q.state = 'ABORTED' AND NOT EXISTS (SELECT 1 FROM keyswitch_share s WHERE s.query_id = l.query_id))";

    /** Serialises the admissions of one pair until the transaction ends. */
    public Uni<Void> lock(String entrySite, String querier) {
        return getSession().flatMap(s -> s.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1 || '|' || ?2))")
                .setParameter(1, entrySite).setParameter(2, querier).getResultList()).replaceWithVoid();
    }

    public Uni<Double> spentIn(String entrySite, String querier) {
        return getSession().flatMap(s -> s.createNativeQuery(SPENT, Double.class)
                .setParameter(1, entrySite).setParameter(2, querier).getSingleResult());
    }

    /** True when {@code epsilon} more stays within {@code budget} (a zero ε always does). */
    public static boolean fits(double spent, double epsilon, double budget) {
        return epsilon <= 0 || spent + epsilon <= budget + 1e-9;
    }

    /** Debits {@code epsilon} (nothing for a zero ε: a network without DP spends nothing). */
    public Uni<Void> debit(String queryId, String entrySite, String querier, double epsilon) {
        return epsilon > 0 ? persist(new LedgerEntry(queryId, entrySite, querier, epsilon)).replaceWithVoid()
                : Uni.createFrom().voidItem();
    }

    /** ε a querier has spent through an entry node at this site (refunds deducted). */
    public double spent(String entrySite, String querier) {
        return Transactions.inSession(() -> spentIn(entrySite, querier));
    }

    /** ε this site debited for one query (0 when none: no differential privacy). Blocks. */
    public double epsilonOf(String queryId) {
        return Transactions.inSession(() -> getSession().flatMap(s -> s.createNativeQuery(
                "SELECT coalesce(sum(epsilon), 0)::float8 FROM privacy_ledger WHERE query_id = ?1", Double.class)
                .setParameter(1, queryId).getSingleResult()));
    }
}
