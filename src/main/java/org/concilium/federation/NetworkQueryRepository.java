package org.concilium.federation;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.concilium.privacy.ledger.PrivacyLedger;
import org.concilium.store.Transactions;

/**
 * The network queries this site took part in, with their state machine and this site's
 * contribution (Panache over {@code network_query} and {@code site_contribution}). Protocol code
 * runs on worker threads, so the public calls block; the reactive {@link #advance} takes part in
 * another repository's transaction (the share, the report).
 */
@ApplicationScoped
public class NetworkQueryRepository implements PanacheRepositoryBase<NetworkQuery, String> {

    /** How a participant's admission of a query ended. */
    public enum Admission { ADMITTED, KNOWN, BUDGET_EXHAUSTED }

    @Inject
    PrivacyLedger ledger;
    @Inject
    SiteReplica replica;

    /**
     * Admits an entry-node query: creates its row unless the querier's budget through this entry
     * node is spent already at this site. Nothing is debited here: the entry node is also a
     * participant, and its participant role debits (one debit per site per query).
     */
    public boolean admit(String queryId, String querier, double epsilon, double budget, String entrySite,
            String measureUrl, byte[] request) {
        // no wait for the WAL flush: the entry row debits nothing, a row lost to an OS crash is a query that
        // never started (its sites abort it as stalled), and the report's synchronous commit flushes it first
        return Transactions.inTransaction(() -> unflushed().flatMap(x -> ledger.lock(entrySite, querier))
                .flatMap(x -> ledger.spentIn(entrySite, querier))
                .flatMap(spent -> !PrivacyLedger.fits(spent, epsilon, budget) ? Uni.createFrom().item(false)
                        : persist(leased(new NetworkQuery(queryId, NetworkQuery.ENTRY, entrySite, measureUrl, request)))
                                .replaceWith(true)));
    }

    /**
     * Admits a query at a participant: in one transaction, serialised per (entry node, querier),
     * creates the query row and debits {@code epsilon} from the pair's budget at this site. A known
     * query id changes nothing (KNOWN); a debit beyond {@code budget} writes nothing.
     */
    public Admission admitParticipant(String queryId, String entrySite, String querier, double epsilon, double budget,
            String measureUrl, byte[] request) {
        // no wait for the WAL flush: nothing leaves this site before saveContribution, whose synchronous
        // commit flushes this debit first (WAL is flushed in order); a crash before it leaves nothing sent
        return Transactions.inTransaction(() -> unflushed().flatMap(x -> ledger.lock(entrySite, querier))
                .flatMap(x -> findById(queryId))
                .flatMap(known -> known != null ? Uni.createFrom().item(Admission.KNOWN)
                        : ledger.spentIn(entrySite, querier).flatMap(spent -> !PrivacyLedger.fits(spent, epsilon, budget)
                                ? Uni.createFrom().item(Admission.BUDGET_EXHAUSTED)
                                : ledger.debit(queryId, entrySite, querier, epsilon)
                                        .flatMap(v -> persist(leased(new NetworkQuery(queryId, NetworkQuery.PARTICIPANT,
                                                entrySite, measureUrl, request))))
                                        .replaceWith(Admission.ADMITTED))));
    }

    /** ε a querier has spent through an entry node at this site (refunds deducted). */
    public double spent(String entrySite, String querier) {
        return ledger.spent(entrySite, querier);
    }

    /** Creates the query row; false when the id is already known (a replayed or duplicate query). */
    public boolean createQuery(String queryId, String role, String entrySite, String measureUrl, byte[] request) {
        try {
            return Transactions.inTransaction(() -> findById(queryId).flatMap(known -> known != null
                    ? Uni.createFrom().item(false)
                    : persist(leased(new NetworkQuery(queryId, role, entrySite, measureUrl, request))).replaceWith(true)));
        } catch (RuntimeException e) {
            if (Transactions.isUniqueViolation(e, "network_query_pkey")) {
                return false; // created by a concurrent duplicate between the look-up and the insert
            }
            throw e;
        }
    }

    public Optional<NetworkQuery> query(String queryId) {
        return Optional.ofNullable(Transactions.inSession(() -> findById(queryId)));
    }

    /** Moves a query forward; terminal states never change again. */
    public void setState(String queryId, QueryState state, String detail) {
        Transactions.inTransaction(() -> advance(queryId, state, detail));
    }

    /**
     * As {@link #setState}, committed without waiting for the WAL flush: only for steps whose loss
     * in an OS crash changes nothing, because the row is in flight either way (start-up aborts it)
     * and the next durable step of the query flushes this one first (EVALUATED at a participant; the
     * entry row's CONTRIBUTED and SHARE_RELEASED, followed by the report's synchronous commit).
     */
    public void setStateUnflushed(String queryId, QueryState state, String detail) {
        Transactions.inTransaction(() -> unflushed().flatMap(x -> advance(queryId, state, detail)));
    }

    /** This transaction commits without waiting for the WAL flush (a later synchronous commit flushes it). */
    private Uni<Integer> unflushed() {
        return getSession().flatMap(s -> s.createNativeQuery("SET LOCAL synchronous_commit = off").executeUpdate());
    }

    /** The transition inside the caller's transaction; the row is locked until it ends. */
    public Uni<Boolean> advance(String queryId, QueryState state, String detail) {
        return findById(queryId, LockModeType.PESSIMISTIC_WRITE).map(q -> q != null && q.advance(state, detail));
    }

    /** A new row belongs to this replica under its lease (start-up and lapsed leases: {@link ReplicaLeases}). */
    private NetworkQuery leased(NetworkQuery q) {
        return q.leasedTo(replica.id(), replica.lease());
    }

    /**
     * Participant queries that contributed but heard nothing from their entry node for {@code idle}
     * (it died, or gave up) end ABORTED: no share will be released for them any more.
     */
    public int abortStalled(Duration idle) {
        OffsetDateTime now = OffsetDateTime.now();
        return Transactions.inTransaction(() -> update("state = ?1, detail = ?2, updatedAt = ?3 where role = ?4"
                + " and state in (?5, ?6) and updatedAt < ?7", QueryState.ABORTED,
                "the entry node never asked for the key switch", now, NetworkQuery.PARTICIPANT, QueryState.CONTRIBUTED,
                QueryState.REVEALED, now.minus(idle)));
    }

    /**
     * Stores this site's contribution with the signed commitment to it and moves the query to
     * CONTRIBUTED, in one transaction.
     */
    public void saveContribution(String queryId, byte[] envelope, byte[] commitment) {
        Transactions.inTransaction(() -> getSession()
                .flatMap(s -> s.persist(new SiteContribution(queryId, envelope, commitment)))
                .flatMap(x -> advance(queryId, QueryState.CONTRIBUTED, null)));
    }

    public Optional<SiteContribution> contribution(String queryId) {
        return Optional.ofNullable(Transactions.inSession(() -> getSession()
                .flatMap(s -> s.find(SiteContribution.class, queryId))));
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
        // only the commitments column is written: loading the contribution entity and letting Hibernate
        // update it rewrote the whole row, the 369 KB ciphertext envelope included (read, sent back, TOASTed
        // and WAL-logged again) in every reveal
        return Transactions.inTransaction(() -> unflushed()
                .flatMap(x -> findById(queryId, LockModeType.PESSIMISTIC_WRITE)).flatMap(q -> {
            if (q == null || q.state() != QueryState.CONTRIBUTED) {
                return Uni.createFrom().item(false);
            }
            q.advance(QueryState.REVEALED, null);
            return getSession().flatMap(s -> s.createNativeQuery("UPDATE site_contribution SET commitments = ?1"
                    + " WHERE query_id = ?2").setParameter(1, commitments).setParameter(2, queryId).executeUpdate())
                    .map(rows -> rows == 1);
        }));
    }
}
