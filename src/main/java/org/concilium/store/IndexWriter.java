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
    private static final String INSERT = "WITH s AS (INSERT INTO idx_string SELECT * FROM unnest($1::text[], $2::text[],"
            + " $3::text[], $4::text[], $5::text[])),"
            + " t AS (INSERT INTO idx_token SELECT * FROM unnest($6::text[], $7::text[], $8::text[], $9::text[],"
            + " $10::text[], $11::text[])),"
            + " r AS (INSERT INTO idx_reference SELECT * FROM unnest($12::text[], $13::text[], $14::text[], $15::text[],"
            + " $16::text[], $17::text[], $18::text[], $19::text[])),"
            + " d AS (INSERT INTO idx_date SELECT * FROM unnest($20::text[], $21::text[], $22::text[],"
            + " $23::text[]::timestamptz[], $24::text[]::timestamptz[])),"
            + " n AS (INSERT INTO idx_number SELECT * FROM unnest($25::text[], $26::text[], $27::text[],"
            + " $28::text[]::numeric[])),"
            + " q AS (INSERT INTO idx_quantity SELECT * FROM unnest($29::text[], $30::text[], $31::text[],"
            + " $32::text[]::numeric[], $33::text[], $34::text[], $35::text[]::numeric[], $36::text[])),"
            + " u AS (INSERT INTO idx_uri SELECT * FROM unnest($37::text[], $38::text[], $39::text[], $40::text[])),"
            + " c AS (INSERT INTO idx_composite SELECT * FROM unnest($41::text[], $42::text[], $43::text[], $44::text[],"
            + " $45::text[], $46::text[], $47::text[], $48::text[]::numeric[], $49::text[]::numeric[], $50::text[],"
            + " $51::text[]::timestamptz[], $52::text[]::timestamptz[], $53::text[], $54::text[]))"
            + " SELECT 1";

    static {
        StringBuilder sql = new StringBuilder("WITH ");
        for (int i = 0; i < TABLES.size() - 1; i++) {
            sql.append(i == 0 ? "" : ", ").append("d").append(i).append(" AS (DELETE FROM ").append(TABLES.get(i))
                    .append(" WHERE (res_type, res_id) IN (SELECT * FROM unnest($1::text[], $2::text[])))");
        }
        sql.append(" DELETE FROM ").append(TABLES.get(TABLES.size() - 1))
                .append(" WHERE (res_type, res_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))");
        DELETE = sql.toString();
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
