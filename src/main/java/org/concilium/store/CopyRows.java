package org.concilium.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Rows in PostgreSQL's COPY text format, for the COPY paths ({@link BulkResourceLoader},
 * {@link FirstVersions}): the resource rows and the search-index rows of each
 * table, with the same columns {@link IndexWriter} and {@link ResourceWriter} insert.
 * Tab-separated, {@code \N} for null, backslash, tab, newline and carriage return escaped.
 */
final class CopyRows {

    /** One index table: its COPY statement and how to write the rows one resource contributes. */
    record Table(String copy, Function<IndexRows, List<?>> rows, Function<Object, String[]> values) {
    }

    static final String RESOURCE = "COPY resource (res_type, res_id, version, last_updated, deleted, body, subject,"
            + " index_layout, row_key) FROM STDIN";

    static final List<Table> INDEX = List.of(
            table("idx_string (res_type, res_id, param, norm, exact, row_key)", IndexRows::strings,
                    (IndexRows.StringRow r) -> new String[] {r.param(), r.norm(), r.exact()}),
            table("idx_token (res_type, res_id, param, system, code, text_norm, row_key)", IndexRows::tokens,
                    (IndexRows.TokenRow r) -> new String[] {r.param(), r.system(), r.code(), r.text()}),
            table("idx_reference (res_type, res_id, param, target_type, target_id, url, id_system, id_value, row_key)",
                    IndexRows::references, (IndexRows.ReferenceRow r) -> new String[] {r.param(), r.targetType(),
                        r.targetId(), r.url(), r.idSystem(), r.idValue()}),
            table("idx_date (res_type, res_id, param, lo, hi, row_key)", IndexRows::dates,
                    (IndexRows.DateRow r) -> new String[] {r.param(), r.low().toString(), r.high().toString()}),
            table("idx_number (res_type, res_id, param, value, row_key)", IndexRows::numbers,
                    (IndexRows.NumberRow r) -> new String[] {r.param(), plain(r.value())}),
            table("idx_quantity (res_type, res_id, param, value, system, code, canon_value, canon_code, row_key)",
                    IndexRows::quantities, (IndexRows.QuantityRow r) -> new String[] {r.param(), plain(r.value()),
                        r.system(), r.code(), plain(r.canonValue()), r.canonCode()}),
            table("idx_uri (res_type, res_id, param, value, row_key)", IndexRows::uris,
                    (IndexRows.UriRow r) -> new String[] {r.param(), r.value()}),
            table("idx_composite (res_type, res_id, param, system1, code1, system, code, value, canon_value,"
                    + " canon_code, lo, hi, norm, exact, row_key)", IndexRows::composites,
                    (IndexRows.CompositeRow r) -> new String[] {r.param(), r.system1(), r.code1(), r.system(), r.code(),
                        plain(r.value()), plain(r.canonValue()), r.canonCode(),
                        r.low() == null ? null : r.low().toString(), r.high() == null ? null : r.high().toString(),
                        r.norm(), r.exact()}));

    private CopyRows() {
    }

    @SuppressWarnings("unchecked")
    private static <R> Table table(String target, Function<IndexRows, List<R>> rows, Function<R, String[]> values) {
        return new Table("COPY " + target + " FROM STDIN", (Function<IndexRows, List<?>>) (Function<?, ?>) rows,
                (Function<Object, String[]>) (Function<?, ?>) values);
    }

    /**
     * One resource row (version 1, not deleted) with its row key; with {@code rowKey} null the row ends
     * before that last column, for a writer that learns the keys later ({@link #withRowKeys}).
     */
    static void resource(StringBuilder out, String type, String id, Instant updated, String body, String subject,
            Long rowKey) {
        field(out, type).append('\t');
        field(out, id).append("\t1\t").append(updated).append("\tf\t");
        field(out, body).append('\t');
        field(out, subject).append('\t').append(IndexWriter.LAYOUT);
        end(out, rowKey);
    }

    /** The rows {@code table} holds for one resource, each ending with its row key (or before it, as above). */
    static void index(StringBuilder out, Table table, String type, String id, Long rowKey, IndexRows rows) {
        for (Object row : table.rows().apply(rows)) {
            field(out, type).append('\t');
            field(out, id);
            for (String v : table.values().apply(row)) {
                field(out.append('\t'), v);
            }
            end(out, rowKey);
        }
    }

    private static void end(StringBuilder out, Long rowKey) {
        if (rowKey != null) {
            out.append('\t').append(rowKey.longValue());
        }
        out.append('\n');
    }

    /**
     * Rows written without their row key, each line completed with the key of the resource its first two
     * fields name (type and id, which need no escaping). A key missing from {@code keys} is an error.
     */
    static String withRowKeys(CharSequence rows, java.util.Map<String, Long> keys) {
        StringBuilder out = new StringBuilder(rows.length() + rows.length() / 8);
        int start = 0;
        for (int end; start < rows.length() && (end = indexOf(rows, '\n', start)) >= 0; start = end + 1) {
            int tab = indexOf(rows, '\t', start);
            int tab2 = indexOf(rows, '\t', tab + 1);
            String key = rows.subSequence(start, tab) + "/" + rows.subSequence(tab + 1, tab2 < 0 || tab2 > end ? end : tab2);
            Long rowKey = keys.get(key);
            if (rowKey == null) {
                throw new IllegalStateException("no row key for " + key);
            }
            out.append(rows, start, end).append('\t').append(rowKey.longValue()).append('\n');
        }
        return out.toString();
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static StringBuilder field(StringBuilder out, String value) {
        if (value == null) {
            return out.append("\\N");
        }
        int run = 0; // runs of plain characters are appended at once: bodies are long, escapes rare
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String escape = switch (c) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escape != null) {
                out.append(value, run, i).append(escape);
                run = i + 1;
            }
        }
        return out.append(value, run, value.length());
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.toPlainString();
    }
}
