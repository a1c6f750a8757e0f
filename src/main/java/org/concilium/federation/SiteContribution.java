package org.concilium.federation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * This site's contribution to a query (table {@code site_contribution}, V2 and V10): the signed
 * ciphertext, the signed commitment to it (round 20), and the verified commitment set it was
 * revealed against (round 23). Part of the query aggregate ({@link NetworkQueryRepository}).
 */
@Entity
@Table(name = "site_contribution")
public class SiteContribution {

    @Id
    @Column(name = "query_id")
    private String queryId;
    private byte[] envelope;
    private byte[] commitment;
    private byte[] commitments;

    protected SiteContribution() {
    }

    SiteContribution(String queryId, byte[] envelope, byte[] commitment) {
        this.queryId = queryId;
        this.envelope = envelope;
        this.commitment = commitment;
    }

    public byte[] envelope() {
        return envelope;
    }

    public byte[] commitment() {
        return commitment;
    }

    /** The commitment set once revealed, else null. */
    public byte[] commitments() {
        return commitments;
    }
}
