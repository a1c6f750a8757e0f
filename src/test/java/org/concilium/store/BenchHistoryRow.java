package org.concilium.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import org.hibernate.annotations.ColumnTransformer;

/** The {@code resource_history} table as a Hibernate entity: only for {@link InsertPathBench}. */
@Entity
@Table(name = "resource_history")
@IdClass(BenchHistoryRow.Key.class)
public class BenchHistoryRow {

    /** The composite primary key. */
    public static class Key implements Serializable {
        String type;
        String id;
        int version;

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
            return type + "/" + id + "/" + version;
        }
    }

    @Id
    @Column(name = "res_type")
    String type;
    @Id
    @Column(name = "res_id")
    String id;
    @Id
    int version;
    @Column(name = "last_updated")
    OffsetDateTime lastUpdated;
    boolean deleted;
    @ColumnTransformer(write = "?::text::jsonb")
    String body;

    protected BenchHistoryRow() {
    }

    BenchHistoryRow(String type, String id, OffsetDateTime lastUpdated, String body) {
        this.type = type;
        this.id = id;
        this.version = 1;
        this.lastUpdated = lastUpdated;
        this.body = body;
    }
}
