package org.concilium.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import org.hibernate.annotations.ColumnTransformer;

/**
 * The {@code resource} table as a Hibernate entity: only for {@link InsertPathBench}, the Panache
 * variant of the resource store's hot insert path (production writes it with the reactive client).
 */
@Entity
@Table(name = "resource")
@IdClass(BenchResourceRow.Key.class)
public class BenchResourceRow {

    /** The composite primary key. */
    public static class Key implements Serializable {
        String type;
        String id;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Objects.equals(toString(), k.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        @Override
        public String toString() {
            return type + "/" + id;
        }
    }

    @Id
    @Column(name = "res_type")
    String type;
    @Id
    @Column(name = "res_id")
    String id;
    int version;
    @Column(name = "last_updated")
    OffsetDateTime lastUpdated;
    boolean deleted;
    @ColumnTransformer(write = "?::text::jsonb")
    String body;
    String subject;
    @Column(name = "index_layout")
    short indexLayout;

    protected BenchResourceRow() {
    }

    BenchResourceRow(String type, String id, OffsetDateTime lastUpdated, String body, String subject) {
        this.type = type;
        this.id = id;
        this.version = 1;
        this.lastUpdated = lastUpdated;
        this.body = body;
        this.subject = subject;
        this.indexLayout = 1;
    }
}
