package org.concilium.privacy.ledger;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * One debit of this site's privacy ledger (table {@code privacy_ledger}, V3 and V11): the ε a query
 * admitted here cost its (entry node, querier) pair, written in the transaction that admits it.
 */
@Entity
@Table(name = "privacy_ledger")
public class LedgerEntry {

    @Id
    @Column(name = "query_id")
    private String queryId;
    private String querier;
    @Column(name = "entry_site")
    private String entrySite;
    private BigDecimal epsilon;
    @Column(name = "at", insertable = false, updatable = false)
    private OffsetDateTime at;

    protected LedgerEntry() {
    }

    LedgerEntry(String queryId, String entrySite, String querier, double epsilon) {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("a debit is positive, not " + epsilon);
        }
        this.queryId = queryId;
        this.entrySite = entrySite;
        this.querier = querier;
        this.epsilon = BigDecimal.valueOf(epsilon);
    }

    public String queryId() {
        return queryId;
    }

    public String querier() {
        return querier;
    }

    public String entrySite() {
        return entrySite;
    }

    public double epsilon() {
        return epsilon.doubleValue();
    }
}
