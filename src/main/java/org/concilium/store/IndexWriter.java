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
    private static final String INSERT;

    static {
        // a resource's rows are found by its row key (V320), which the writer knows: no join to the resource
        // table. The range repeats the keys' bounds for the planner: on a table no ANALYZE has seen yet (one
        // filling up during an import), "= ANY" of 500 keys alone was estimated as every row and run as a
        // sequential scan of the table (half of PostgreSQL's CPU in a timed import of updates)
        String owners = " WHERE row_key = ANY($1::bigint[]) AND row_key BETWEEN $2 AND $3";
        StringBuilder delete = new StringBuilder("WITH ");
        for (int i = 0; i < TABLES.size() - 1; i++) {
            delete.append(i == 0 ? "" : ", ").append("d").append(i).append(" AS (DELETE FROM ").append(TABLES.get(i))
                    .append(owners).append(")");
        }
        delete.append(" DELETE FROM ").append(TABLES.get(TABLES.size() - 1)).append(owners);
        DELETE = delete.toString();
        int[] next = {1};
        INSERT = "WITH " + String.join(", ",
                insert(next, "idx_string", "param text, norm text, exact text"),
                insert(next, "idx_token", "param text, system text, code text, text_norm text"),
                insert(next, "idx_reference", "param text, target_type text, target_id text, url text, id_system text,"
                        + " id_value text"),
                insert(next, "idx_date", "param text, lo timestamptz, hi timestamptz"),
                insert(next, "idx_number", "param text, value numeric"),
                insert(next, "idx_quantity", "param text, value numeric, system text, code text, canon_value numeric,"
                        + " canon_code text"),
                insert(next, "idx_uri", "param text, value text"),
                insert(next, "idx_composite", "param text, system1 text, code1 text, system text, code text,"
                        + " value numeric, canon_value numeric, canon_code text, lo timestamptz, hi timestamptz,"
                        + " norm text, exact text"))
                + " SELECT 1";
    }

    /**
     * One CTE inserting a table's rows from arrays, from parameter {@code next[0]} on: res_type, res_id and
     * row_key, then one per column ({@code "name type, ..."}; values are sent as text and cast here).
     */
    private static String insert(int[] next, String table, String columns) {
        StringBuilder names = new StringBuilder("res_type, res_id, row_key");
        StringBuilder arrays = new StringBuilder();
        arrays.append('$').append(next[0]++).append("::text[], $").append(next[0]++).append("::text[], $")
                .append(next[0]++).append("::bigint[]");
        for (String column : columns.split(",")) {
            String[] c = column.strip().split(" ");
            names.append(", ").append(c[0]);
            arrays.append(", $").append(next[0]++).append("::text[]").append(c[1].equals("text") ? "" : "::" + c[1] + "[]");
        }
        return table.replace("idx_", "i_") + " AS (INSERT INTO " + table + " (" + names + ") SELECT * FROM unnest("
                + arrays + "))";
    }

    /** One resource's identity, its row key and its rows (null rows: the resource was deleted). */
    record Indexed(String type, String id, long rowKey, IndexRows rows) {
    }

    private IndexWriter() {
    }

    /** Deletes the old rows of every resource in {@code batch} (skipped for brand-new ids) and inserts the new ones. */
    static Uni<Void> replace(SqlClient client, List<Indexed> batch, boolean existing) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] keys = batch.stream().map(Indexed::rowKey).toArray(Long[]::new);
        Uni<Void> delete = existing ? client.preparedQuery(DELETE).execute(Tuple.tuple().addArrayOfLong(keys)
                .addLong(java.util.Arrays.stream(keys).min(Long::compare).orElseThrow())
                .addLong(java.util.Arrays.stream(keys).max(Long::compare).orElseThrow())).replaceWithVoid()
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

    /** Appends res_type, res_id, row_key and then one array per column for the rows of one table. */
    private static <R> void columns(Tuple t, List<Indexed> live, Function<IndexRows, List<R>> table,
            List<Function<R, Object>> cols) {
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Long> keys = new ArrayList<>();
        List<List<Object>> values = new ArrayList<>();
        cols.forEach(c -> values.add(new ArrayList<>()));
        for (Indexed b : live) {
            for (R row : table.apply(b.rows())) {
                types.add(b.type());
                ids.add(b.id());
                keys.add(b.rowKey());
                for (int i = 0; i < cols.size(); i++) {
                    values.get(i).add(cols.get(i).apply(row));
                }
            }
        }
        t.addValue(types.toArray(String[]::new)).addValue(ids.toArray(String[]::new))
                .addArrayOfLong(keys.toArray(Long[]::new));
        for (List<Object> v : values) {
            t.addValue(v.stream().map(o -> (String) o).toArray(String[]::new));
        }
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.toPlainString();
    }
}
