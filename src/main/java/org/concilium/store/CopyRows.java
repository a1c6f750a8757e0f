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
            + " index_layout) FROM STDIN";

    static final List<Table> INDEX = List.of(
            table("idx_string (res_type, res_id, param, norm, exact)", IndexRows::strings,
                    (IndexRows.StringRow r) -> new String[] {r.param(), r.norm(), r.exact()}),
            table("idx_token (res_type, res_id, param, system, code, text_norm)", IndexRows::tokens,
                    (IndexRows.TokenRow r) -> new String[] {r.param(), r.system(), r.code(), r.text()}),
            table("idx_reference (res_type, res_id, param, target_type, target_id, url, id_system, id_value)",
                    IndexRows::references, (IndexRows.ReferenceRow r) -> new String[] {r.param(), r.targetType(),
                        r.targetId(), r.url(), r.idSystem(), r.idValue()}),
            table("idx_date (res_type, res_id, param, lo, hi)", IndexRows::dates,
                    (IndexRows.DateRow r) -> new String[] {r.param(), r.low().toString(), r.high().toString()}),
            table("idx_number (res_type, res_id, param, value)", IndexRows::numbers,
                    (IndexRows.NumberRow r) -> new String[] {r.param(), plain(r.value())}),
            table("idx_quantity (res_type, res_id, param, value, system, code, canon_value, canon_code)",
                    IndexRows::quantities, (IndexRows.QuantityRow r) -> new String[] {r.param(), plain(r.value()),
                        r.system(), r.code(), plain(r.canonValue()), r.canonCode()}),
            table("idx_uri (res_type, res_id, param, value)", IndexRows::uris,
                    (IndexRows.UriRow r) -> new String[] {r.param(), r.value()}),
            table("idx_composite (res_type, res_id, param, system1, code1, system, code, value, canon_value,"
                    + " canon_code, lo, hi, norm, exact)", IndexRows::composites,
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

    /** One resource row (version 1, not deleted). */
    static void resource(StringBuilder out, String type, String id, Instant updated, String body, String subject) {
        field(out, type).append('\t');
        field(out, id).append("\t1\t").append(updated).append("\tf\t");
        field(out, body).append('\t');
        field(out, subject).append('\t').append(IndexWriter.LAYOUT).append('\n');
    }

    /** The rows {@code table} holds for one resource. */
    static void index(StringBuilder out, Table table, String type, String id, IndexRows rows) {
        for (Object row : table.rows().apply(rows)) {
            field(out, type).append('\t');
            field(out, id);
            for (String v : table.values().apply(row)) {
                field(out.append('\t'), v);
            }
            out.append('\n');
        }
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
