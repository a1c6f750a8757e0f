package org.concilium.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Replaces the index rows of a batch of resources: one statement deletes their old rows from
 * every index table, one statement inserts all new rows (one unnest per table), whatever the
 * batch size. This is what keeps a 5,000-entry transaction at two round trips for the index.
 */
final class IndexWriter {

    /** Bumped when extraction changes; rows indexed with an older layout are re-indexed at start-up. */
    static final int LAYOUT = 2;

    private static final List<String> TABLES = List.of("idx_string", "idx_token", "idx_reference", "idx_date",
            "idx_number", "idx_quantity", "idx_uri", "idx_composite");

    private static final String DELETE;
    private static final String INSERT = "WITH "
            + insert("s", "idx_string", "param, norm, exact", 1, "text", "text", "text") + ", "
            + insert("t", "idx_token", "param, system, code, text_norm", 6, "text", "text", "text", "text") + ", "
            + insert("r", "idx_reference", "param, target_type, target_id, url, id_system, id_value", 12,
                    "text", "text", "text", "text", "text", "text") + ", "
            + insert("d", "idx_date", "param, lo, hi", 20, "text", "timestamptz", "timestamptz") + ", "
            + insert("n", "idx_number", "param, value", 25, "text", "numeric") + ", "
            + insert("q", "idx_quantity", "param, value, system, code, canon_value, canon_code", 29,
                    "text", "numeric", "text", "text", "numeric", "text") + ", "
            + insert("u", "idx_uri", "param, value", 37, "text", "text") + ", "
            + insert("c", "idx_composite", "param, system1, code1, system, code, value, canon_value, canon_code, lo,"
                    + " hi, norm, exact", 41, "text", "text", "text", "text", "text", "numeric", "numeric", "text",
                    "timestamptz", "timestamptz", "text", "text")
            + " SELECT 1";

    static {
        // the rows of a resource are found by its row key (V320)
        String owners = "row_key IN (SELECT k.row_key FROM resource k"
                + " WHERE (k.res_type, k.res_id) IN (SELECT * FROM unnest($1::text[], $2::text[])))";
        StringBuilder sql = new StringBuilder("WITH ");
        for (int i = 0; i < TABLES.size() - 1; i++) {
            sql.append(i == 0 ? "" : ", ").append("d").append(i).append(" AS (DELETE FROM ").append(TABLES.get(i))
                    .append(" WHERE ").append(owners).append(")");
        }
        sql.append(" DELETE FROM ").append(TABLES.get(TABLES.size() - 1)).append(" WHERE ").append(owners);
        DELETE = sql.toString();
    }

    /**
     * One CTE inserting a table's rows from arrays: {@code $first} and the next hold res_type and res_id,
     * then one array per column; each row takes its resource's row key (the resource row is written first).
     */
    private static String insert(String name, String table, String columns, int first, String... types) {
        StringBuilder arrays = new StringBuilder("$" + first + "::text[], $" + (first + 1) + "::text[]");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < types.length; i++) {
            int n = first + 2 + i;
            arrays.append(", $").append(n).append("::text[]").append("text".equals(types[i]) ? "" : "::" + types[i] + "[]");
            values.append(", u.c").append(i);
        }
        StringBuilder aliases = new StringBuilder("t, i");
        for (int i = 0; i < types.length; i++) {
            aliases.append(", c").append(i);
        }
        return name + " AS (INSERT INTO " + table + " (res_type, res_id, " + columns + ", row_key) SELECT u.t, u.i"
                + values + ", k.row_key FROM unnest(" + arrays + ") AS u(" + aliases + ") JOIN resource k"
                + " ON k.res_type = u.t AND k.res_id = u.i)";
    }

    /** One resource's identity and its rows (null rows: the resource was deleted). */
    record Indexed(String type, String id, IndexRows rows) {
    }

    private IndexWriter() {
    }

    /** Deletes the old rows of every resource in {@code batch} (skipped for brand-new ids) and inserts the new ones. */
    static Uni<Void> replace(SqlClient client, List<Indexed> batch, boolean existing) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> delete = existing ? client.preparedQuery(DELETE).execute(Tuple.of(
                batch.stream().map(Indexed::type).toArray(String[]::new),
                batch.stream().map(Indexed::id).toArray(String[]::new))).replaceWithVoid()
                : Uni.createFrom().voidItem();
        List<Indexed> live = batch.stream().filter(b -> b.rows() != null).toList();
        if (live.isEmpty()) {
            return delete;
        }
        return delete.flatMap(x -> client.preparedQuery(INSERT).execute(insertArgs(live))).replaceWithVoid();
    }

    private static Tuple insertArgs(List<Indexed> live) {
        Tuple t = Tuple.tuple();
        columns(t, live, IndexRows::strings, List.of(IndexRows.StringRow::param, IndexRows.StringRow::norm,
                IndexRows.StringRow::exact));
        columns(t, live, IndexRows::tokens, List.of(IndexRows.TokenRow::param, IndexRows.TokenRow::system,
                IndexRows.TokenRow::code, IndexRows.TokenRow::text));
        columns(t, live, IndexRows::references, List.of(IndexRows.ReferenceRow::param,
                IndexRows.ReferenceRow::targetType, IndexRows.ReferenceRow::targetId, IndexRows.ReferenceRow::url,
                IndexRows.ReferenceRow::idSystem, IndexRows.ReferenceRow::idValue));
        columns(t, live, IndexRows::dates, List.of(IndexRows.DateRow::param, r -> r.low().toString(), r -> r.high().toString()));
        columns(t, live, IndexRows::numbers, List.of(IndexRows.NumberRow::param, r -> plain(r.value())));
        columns(t, live, IndexRows::quantities, List.of(IndexRows.QuantityRow::param, r -> plain(r.value()),
                IndexRows.QuantityRow::system, IndexRows.QuantityRow::code, r -> plain(r.canonValue()),
                IndexRows.QuantityRow::canonCode));
        columns(t, live, IndexRows::uris, List.of(IndexRows.UriRow::param, IndexRows.UriRow::value));
        columns(t, live, IndexRows::composites, List.of(IndexRows.CompositeRow::param, IndexRows.CompositeRow::system1,
                IndexRows.CompositeRow::code1, IndexRows.CompositeRow::system, IndexRows.CompositeRow::code,
                r -> plain(r.value()), r -> plain(r.canonValue()), IndexRows.CompositeRow::canonCode,
                r -> r.low() == null ? null : r.low().toString(), r -> r.high() == null ? null : r.high().toString(),
                IndexRows.CompositeRow::norm, IndexRows.CompositeRow::exact));
        return t;
    }

    /** Appends res_type, res_id and then one array per column for the rows of one table. */
    private static <R> void columns(Tuple t, List<Indexed> live, Function<IndexRows, List<R>> table,
            List<Function<R, Object>> cols) {
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<List<Object>> values = new ArrayList<>();
        cols.forEach(c -> values.add(new ArrayList<>()));
        for (Indexed b : live) {
            for (R row : table.apply(b.rows())) {
                types.add(b.type());
                ids.add(b.id());
                for (int i = 0; i < cols.size(); i++) {
                    values.get(i).add(cols.get(i).apply(row));
                }
            }
        }
        t.addValue(types.toArray(String[]::new)).addValue(ids.toArray(String[]::new));
        for (List<Object> v : values) {
            t.addValue(v.stream().map(o -> (String) o).toArray(String[]::new));
        }
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.toPlainString();
    }
}
