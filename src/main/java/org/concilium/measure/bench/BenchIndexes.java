package org.concilium.measure.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The bench's own database only, never a site's: drops the resource table's and the search-index
 * tables' indexes (primary key included) before a bulk load and builds them again afterwards, as
 * PostgreSQL's manual advises for a large COPY (one sorted build per index instead of a B-tree
 * insert per row). Queries against the tables are slow or wrong-planned in between, so nothing but
 * the loader may run then. The definitions are read from the catalog, so they follow the migrations.
 */
final class BenchIndexes {

    private static final String TABLES = "(relname = 'resource' OR relname LIKE 'idx\\_%')";

    /** {@code ALTER TABLE ... ADD CONSTRAINT} and {@code CREATE INDEX} statements, in build order. */
    private final List<String> rebuild;

    private BenchIndexes(List<String> rebuild) {
        this.rebuild = rebuild;
    }

    /** Reads the definitions, then drops the constraints and indexes. */
    static BenchIndexes drop(DataSource db) throws SQLException {
        List<String> rebuild = new ArrayList<>();
        List<String> drop = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(k.oid)"
                    + " FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid"
                    + " WHERE k.contype IN ('p', 'u') AND t.relnamespace = 'public'::regnamespace AND " + TABLES)) {
                while (r.next()) {
                    rebuild.add("ALTER TABLE " + r.getString(1) + " ADD CONSTRAINT " + r.getString(2) + " " + r.getString(3));
                    drop.add("ALTER TABLE " + r.getString(1) + " DROP CONSTRAINT " + r.getString(2));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
                    + " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
                    + " WHERE t.relnamespace = 'public'::regnamespace AND " + TABLES.replace("relname", "t.relname")
                    + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)")) {
                while (r.next()) {
                    rebuild.add(r.getString(2));
                    drop.add("DROP INDEX " + r.getString(1));
                }
            }
            for (String sql : drop) {
                s.execute(sql);
            }
        }
        return new BenchIndexes(rebuild);
    }

    /** Builds every index again and refreshes the planner's statistics. */
    void rebuild(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String sql : rebuild) {
                s.execute(sql);
            }
            s.execute("ANALYZE");
        }
    }

    int count() {
        return rebuild.size();
    }
}
