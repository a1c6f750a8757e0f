package org.concilium.federation.query;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.ColumnTransformer;

/** A network-wide MeasureReport this site released as entry node (table {@code network_report}, V2). */
@Entity
@Table(name = "network_report")
public class NetworkReport {

    @Id
    private String id;
    @Column(name = "query_id")
    private String queryId;
    @Column(name = "measure_url")
    private String measureUrl;
    /** The report as FHIR JSON: jsonb in the table, text to us (never parsed into a second model). */
    @ColumnTransformer(read = "body::text", write = "?::text::jsonb")
    private String body;
    @Column(name = "created_at", insertable = false, updatable = false)
    private OffsetDateTime createdAt;

    protected NetworkReport() {
    }

    NetworkReport(String queryId, String measureUrl, String body) {
        this.id = queryId;
        this.queryId = queryId;
        this.measureUrl = measureUrl;
        this.body = body;
    }

    public String id() {
        return id;
    }

    public String body() {
        return body;
    }
}
