package org.concilium.federation.query;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.concilium.federation.NetworkQueryRepository;
import org.concilium.federation.QueryState;
import org.concilium.store.Transactions;

/** The network reports this site released as entry node (Panache over {@code network_report}). Calls block. */
@ApplicationScoped
public class NetworkReportRepository implements PanacheRepositoryBase<NetworkReport, String> {

    @Inject
    NetworkQueryRepository queries;

    /** Stores the entry node's released report and marks its query DONE, in one transaction. */
    public void save(String entryKey, String queryId, String measureUrl, String json) {
        Transactions.inTransaction(() -> persist(new NetworkReport(queryId, measureUrl, json))
                .call(r -> queries.advance(entryKey, QueryState.DONE, null)));
    }

    /** The report's FHIR JSON. */
    public Optional<String> report(String id) {
        return Optional.ofNullable(Transactions.inSession(() -> findById(id))).map(NetworkReport::body);
    }

    /** The newest {@code limit} reports, of one Measure (canonical URL without version) or of all. */
    public List<String> reports(String measureUrl, int limit) {
        var page = io.quarkus.panache.common.Page.ofSize(limit);
        var sort = io.quarkus.panache.common.Sort.descending("createdAt");
        return Transactions.inSession(() -> (measureUrl == null ? findAll(sort) : find("measureUrl", sort, measureUrl))
                .page(page).list()).stream().map(NetworkReport::body).toList();
    }
}
