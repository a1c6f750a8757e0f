package org.concilium.federation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * The one key-switch share this site released for a query (table {@code keyswitch_share}, V2 and
 * V10). The primary key (one per query) and the UNIQUE c1 fingerprint ({@code mask}, one per c1
 * for good) are the rules: a second share cannot be stored, so it is never sent.
 */
@Entity
@Table(name = "keyswitch_share")
public class KeySwitchShare {

    @Id
    @Column(name = "query_id")
    private String queryId;
    /** Fingerprint of the aggregate the share was computed for. */
    private String ciphertext;
    /** Fingerprint of the aggregate's c1; null only for shares released before V10. */
    private String mask;
    private byte[] envelope;
    @Column(name = "created_at", insertable = false, updatable = false)
    private OffsetDateTime createdAt;

    protected KeySwitchShare() {
    }

    KeySwitchShare(String queryId, String ciphertext, String mask, byte[] envelope) {
        this.queryId = queryId;
        this.ciphertext = ciphertext;
        this.mask = mask;
        this.envelope = envelope;
    }

    public String queryId() {
        return queryId;
    }

    public String ciphertext() {
        return ciphertext;
    }

    public String mask() {
        return mask;
    }

    public byte[] envelope() {
        return envelope;
    }
}
