package org.concilium.store;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The fast Bulk Data {@code $export} path: PostgreSQL writes the selected bodies itself with
 * {@code COPY (SELECT body::text ...) TO STDOUT}, and the bytes go straight to the NDJSON file — no
 * row decoding, no FHIR parse or re-serialization in the JVM. CSV format with a quote and a delimiter
 * that jsonb text never holds (control characters are always escaped in JSON) copies each body
 * byte for byte, one line each. COPY takes no bind parameters, so every value in the SQL is a
 * literal this class checks: the type a catalog name, ids FHIR ids (anything else cannot be stored,
 * so it is dropped), instants formatted here. Same selection as {@link ExportReader}. Blocking.
 */
public final class NdjsonCopy {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z]{1,64}");
    private static final String FORMAT = " TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')";

    private final DataSource dataSource;

    public NdjsonCopy(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes every selected body of part {@code part} of {@code parts} (split by a hash of the id) as
     * one line to {@code out}; stops (and throws) once {@code cancelled}. Returns the count.
     */
    public long copy(ExportReader.Selection s, int part, int parts, OutputStream out, BooleanSupplier cancelled)
            throws IOException {
        String split = parts <= 1 ? "" : " AND abs(hashtext(r.res_id) % " + parts + ") = " + part;
        String sql = "COPY (" + select(s) + split + ")" + FORMAT;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("SET statement_timeout = 0"); // a large export may take longer than any request
            }
            return c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (cancelled.getAsBoolean()) {
                        throw new InterruptedIOException("export cancelled");
                    }
                    out.write(b, off, len);
                }
            });
        } catch (SQLException e) {
            throw new IOException("export of " + s.type() + " failed: " + e.getSQLState(), e);
        }
    }

    /** The SELECT of {@code s}, with checked literals in place of parameters. */
    static String select(ExportReader.Selection s) {
        String type = literal(checked(TYPE, s.type()));
        StringBuilder sql = new StringBuilder("SELECT r.body::text FROM resource r WHERE r.res_type = ").append(type)
                .append(" AND NOT r.deleted AND r.last_updated <= ").append(instant(s.until()));
        if (s.since() != null) {
            sql.append(" AND r.last_updated >= ").append(instant(s.since()));
        }
        if (s.ids() != null) {
            sql.append(" AND r.res_id = ANY(").append(ids(s.ids())).append(")");
        }
        if (s.patients() != null) {
            boolean everyPatient = s.patients().isEmpty();
            if (s.type().equals("Patient")) {
                if (!everyPatient) {
                    sql.append(" AND r.res_id = ANY(").append(ids(s.patients())).append(")");
                }
            } else {
                List<String> params = SearchParameterCatalog.patientCompartmentRows(s.type());
                sql.append(" AND EXISTS (SELECT 1 FROM idx_reference x WHERE x.row_key = r.row_key")
                        .append(" AND x.target_type = 'Patient' AND x.param = ANY(")
                        .append(array(params.stream().map(p -> literal(checkedParam(p))).toList())).append(")");
                if (!everyPatient) {
                    sql.append(" AND x.target_id = ANY(").append(ids(s.patients())).append(")");
                }
                sql.append(")");
            }
        }
        return sql.toString();
    }

    private static String ids(List<String> ids) {
        return array(ids.stream().filter(i -> ID.matcher(i).matches()).map(NdjsonCopy::literal).toList());
    }

    private static String array(List<String> literals) {
        return "ARRAY[" + String.join(",", literals) + "]::text[]";
    }

    private static String instant(Instant t) {
        return literal(t.toString()) + "::timestamptz";
    }

    private static String checked(Pattern p, String value) {
        if (!p.matcher(value).matches()) {
            throw new IllegalArgumentException("not exportable: " + value);
        }
        return value;
    }

    private static String checkedParam(String param) {
        return checked(Pattern.compile("[A-Za-z0-9\\-_.]{1,64}"), param);
    }

    /** A SQL string literal (standard_conforming_strings is on in every supported PostgreSQL). */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
