package org.concilium.federation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * One network query as this site knows it (table {@code network_query}, V2), with its persisted
 * state machine: RECEIVED → EVALUATED → CONTRIBUTED → REVEALED → SHARE_RELEASED → DONE, or
 * ABORTED; a terminal state (DONE, ABORTED) never changes again.
 */
@Entity
@Table(name = "network_query")
public class NetworkQuery {

    public static final String ENTRY = "ENTRY";
    public static final String PARTICIPANT = "PARTICIPANT";

    @Id
    @Column(name = "query_id")
    private String queryId;
    /** ENTRY or PARTICIPANT. */
    private String role;
    @Enumerated(EnumType.STRING)
    private QueryState state;
    @Column(name = "entry_site")
    private String entrySite;
    @Column(name = "measure_url")
    private String measureUrl;
    /** The signed request that started it here. */
    private byte[] request;
    private String detail;
    @Column(name = "created_at", insertable = false, updatable = false)
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;
    /** The replica running it, under a lease that replica renews while it lives (V60, {@link ReplicaLeases}). */
    private String replica;
    @Column(name = "lease_until")
    private OffsetDateTime leaseUntil;

    protected NetworkQuery() {
    }

    NetworkQuery(String queryId, String role, String entrySite, String measureUrl, byte[] request) {
        this.queryId = queryId;
        this.role = role;
        this.state = QueryState.RECEIVED;
        this.entrySite = entrySite;
        this.measureUrl = measureUrl;
        this.request = request;
        this.updatedAt = OffsetDateTime.now();
    }

    /** Marks the query as run by {@code replica}, leased for {@code lease} from now. */
    NetworkQuery leasedTo(String replica, java.time.Duration lease) {
        this.replica = replica;
        this.leaseUntil = OffsetDateTime.now().plus(lease);
        return this;
    }

    /** The one state transition: never out of a terminal state. {@code why} null keeps the detail. */
    boolean advance(QueryState to, String why) {
        if (terminal()) {
            return false;
        }
        state = to;
        if (why != null) {
            detail = why;
        }
        updatedAt = OffsetDateTime.now();
        return true;
    }

    boolean terminal() {
        return state == QueryState.DONE || state == QueryState.ABORTED;
    }

    public String queryId() {
        return queryId;
    }

    public String role() {
        return role;
    }

    public QueryState state() {
        return state;
    }

    public String entrySite() {
        return entrySite;
    }

    public String measureUrl() {
        return measureUrl;
    }

    public byte[] request() {
        return request;
    }

    public String detail() {
        return detail;
    }
}
