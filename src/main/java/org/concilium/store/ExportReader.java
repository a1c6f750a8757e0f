package org.concilium.store;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads the current resources of one type for Bulk Data {@code $export}, in id order, a batch at a
 * time (keyset on {@code resource_live}), so memory stays flat whatever the export size. The body
 * is PostgreSQL's jsonb text: one line, ready for NDJSON. Blocking: call it from a worker thread.
 */
public final class ExportReader {

    /** Rows per round trip: large enough that a round trip costs little per row. */
    static final int BATCH = 2000;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    /**
     * Which resources of the type: {@code patients} null for every resource (system level), empty for
     * every patient's compartment (Patient level), else the compartments of those patients (Group).
     * {@code ids} (nullable) limits the export to those ids (a _typeFilter's matches).
     */
    public record Selection(String type, Instant since, Instant until, List<String> patients, List<String> ids) {
    }

    private final Pool pool;

    public ExportReader(Pool pool) {
        this.pool = pool;
    }

    /** Hands every selected body to {@code line}; stops early when {@code cancelled}. Returns the count. */
    public long read(Selection s, Consumer<String> line, BooleanSupplier cancelled) {
        List<Object> args = new ArrayList<>(List.of(s.type(), s.until().atOffset(ZoneOffset.UTC)));
        StringBuilder where = new StringBuilder(" FROM resource r WHERE r.res_type = $1 AND NOT r.deleted"
                + " AND r.last_updated <= $2");
        if (s.since() != null) {
            args.add(s.since().atOffset(ZoneOffset.UTC));
            where.append(" AND r.last_updated >= $").append(args.size());
        }
        if (s.ids() != null) {
            args.add(s.ids().toArray(String[]::new));
            where.append(" AND r.res_id = ANY($").append(args.size()).append(")");
        }
        if (s.patients() != null) {
            compartment(s, args, where);
        }
        args.add("");
        int after = args.size();
        String sql = "SELECT r.res_id, r.body::text" + where + " AND r.res_id > $" + after + " ORDER BY r.res_id LIMIT "
                + BATCH;
        long count = 0;
        while (!cancelled.getAsBoolean()) {
            List<Row> rows = new ArrayList<>(BATCH);
            pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(TIMEOUT).forEach(rows::add);
            for (Row r : rows) {
                line.accept(r.getString(1));
            }
            count += rows.size();
            if (rows.size() < BATCH) {
                break;
            }
            args.set(after - 1, rows.get(rows.size() - 1).getString(0));
        }
        return count;
    }

    private static void compartment(Selection s, List<Object> args, StringBuilder where) {
        boolean everyPatient = s.patients().isEmpty();
        if (s.type().equals("Patient")) {
            if (!everyPatient) {
                args.add(s.patients().toArray(String[]::new));
                where.append(" AND r.res_id = ANY($").append(args.size()).append(")");
            }
            return;
        }
        args.add(SearchParameterCatalog.patientCompartmentRows(s.type()).toArray(String[]::new));
        where.append(" AND EXISTS (SELECT 1 FROM idx_reference x WHERE x.row_key = r.row_key"
                + " AND x.target_type = 'Patient' AND x.param = ANY($").append(args.size()).append(")");
        if (!everyPatient) {
            args.add(s.patients().toArray(String[]::new));
            where.append(" AND x.target_id = ANY($").append(args.size()).append(")");
        }
        where.append(")");
    }
}
