package org.concilium.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Resource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The fast path of {@code $import} for ids the store does not hold yet: version 1 of each and its
 * search-index rows by COPY, and its {@code resource_history} row copied from the stored row, on one
 * connection in one transaction — the same rows {@link ResourceWriter#upsertAll} writes for a
 * create. The work is split so that the costly part runs on many threads: {@link #prepare} (index
 * rows, JSON, COPY text; thread-safe) while the writers {@link #insertNew write} the batches. Ids
 * the store holds are handed back for the versioned path. Blocking.
 */
public final class FirstVersions {

    private static final String EXISTING = "SELECT res_type || '/' || res_id FROM resource"
            + " WHERE (res_type, res_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))";

    /** Row keys for new resources, taken from the sequence ahead of the COPY (V320). */
    private static final String ROW_KEYS = "SELECT nextval('resource_row_key') FROM generate_series(1, ?)";

    private static final String FIRST_HISTORY = "INSERT INTO resource_history (res_type, res_id, version,"
            + " last_updated, deleted, body) SELECT r.res_type, r.res_id, r.version, r.last_updated, r.deleted, r.body"
            + " FROM resource r JOIN unnest(?::text[], ?::text[]) AS k (res_type, res_id)"
            + " ON r.res_type = k.res_type AND r.res_id = k.res_id";

    private final DataSource jdbc;
    private final ResourceIndexer indexer = new ResourceIndexer(FhirJson.context());

    public FirstVersions(DataSource jdbc) {
        this.jdbc = jdbc;
    }

    /** One resource ready to write as version 1 under its row key (null when the store holds its id). */
    private record Row(String type, String id, String body, IndexRows index, Long rowKey) {
        String key() {
            return type + "/" + id;
        }
    }

    /**
     * Resources with distinct ids made ready as version 1, and the COPY text of all of them (the
     * usual case: none exists yet). Holds the bodies twice (JSON and COPY text): keep batches bounded.
     */
    public static final class Batch {
        private final List<Row> rows;
        private final Instant updated;
        /** Positions whose ids the store held when the batch was prepared: index rows only, no JSON nor COPY text. */
        private final Set<Integer> known;
        /** The COPY text of the other rows. */
        private final CopyText fresh;

        private Batch(List<Row> rows, Instant updated, Set<Integer> known) {
            this.rows = rows;
            this.updated = updated;
            this.known = known;
            this.fresh = CopyText.of(without(rows, known), updated);
        }

        public int size() {
            return rows.size();
        }

        /** The index rows of the {@code i}-th resource (they do not depend on its version). */
        public IndexRows index(int i) {
            return rows.get(i).index();
        }
    }

    /**
     * The COPY input of some rows: resource, then each index table (null when it has no rows), and the
     * rows' keys, by which their history rows are copied from the resource rows in the database.
     */
    private record CopyText(byte[] resources, List<byte[]> index, String[] types, String[] ids) {
        static CopyText of(List<Row> rows, Instant updated) {
            int length = 0;
            for (Row r : rows) {
                length += r.body().length();
            }
            StringBuilder text = new StringBuilder(length + rows.size() * 128);
            String[] types = new String[rows.size()];
            String[] ids = new String[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                CopyRows.resource(text, r.type(), r.id(), updated, r.body(), r.index().subject(), r.rowKey());
                types[i] = r.type();
                ids[i] = r.id();
            }
            byte[] resources = bytes(text);
            List<byte[]> index = new ArrayList<>(CopyRows.INDEX.size());
            for (CopyRows.Table table : CopyRows.INDEX) {
                text.setLength(0);
                for (Row r : rows) {
                    CopyRows.index(text, table, r.type(), r.id(), r.rowKey(), r.index());
                }
                index.add(text.isEmpty() ? null : bytes(text));
            }
            return new CopyText(resources, index, types, ids);
        }

        private static byte[] bytes(StringBuilder text) {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Sets version 1 and {@code lastUpdated} (now) on each resource, as {@link ResourceWriter} would,
     * and works out its index rows, JSON and COPY text. Ids must be distinct. Thread-safe.
     */
    public Batch prepare(List<Resource> resources) {
        return prepare(resources, null);
    }

    /**
     * As {@link #prepare(List)}; {@code sources} (nullable, or null items) holds the JSON each resource was
     * parsed from, stored with only id and meta set ({@link RawBody}) instead of encoding the resource again.
     */
    public Batch prepare(List<Resource> resources, List<String> sources) {
        return prepare(resources, sources, 1).get(0);
    }

    /**
     * As {@link #prepare(List, List)}, cut into {@code parts} batches of consecutive resources (fewer when
     * there are fewer resources): each can be {@link #insertNew written} on a connection of its own at the
     * same time as the others, since their ids differ. PostgreSQL runs one COPY in one server process, so a
     * single stream leaves the machine's other cores to the parsers alone.
     */
    public List<Batch> prepare(List<Resource> resources, List<String> sources, int parts) {
        List<String> keys = resources.stream().map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart()).toList();
        Set<Integer> known;
        long[] rowKeys;
        try (Connection c = jdbc.getConnection()) {
            known = existing(c, keys);
            rowKeys = rowKeys(c, keys.size() - known.size());
        } catch (SQLException e) {
            throw new IllegalStateException("import existence check failed: " + e.getMessage(), e);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // as ResourceWriter: the body says the same
        String lastUpdated = null;
        List<Row> rows = new ArrayList<>(resources.size());
        int nextKey = 0;
        for (int i = 0; i < resources.size(); i++) {
            Resource r = resources.get(i);
            r.setId(r.getIdElement().getIdPart());
            if (known.contains(i)) { // an update: the versioned path encodes it with its own version
                rows.add(new Row(r.fhirType(), r.getIdElement().getIdPart(), null, indexer.index(r), null));
                continue;
            }
            r.getMeta().setVersionId("1");
            r.getMeta().setLastUpdated(Date.from(now));
            if (lastUpdated == null) {
                lastUpdated = r.getMeta().getLastUpdatedElement().getValueAsString(); // HAPI's text of it
            }
            String source = sources == null ? null : sources.get(i);
            String body = source == null ? null : RawBody.withVersion(source, r.getIdElement().getIdPart(), "1",
                    lastUpdated, div(r));
            rows.add(new Row(r.fhirType(), r.getIdElement().getIdPart(), body != null ? body : FhirJson.encode(r),
                    indexer.index(r), rowKeys[nextKey++]));
        }
        int n = Math.max(1, Math.min(parts, rows.size()));
        List<Batch> out = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            int from = rows.size() * p / n;
            int to = rows.size() * (p + 1) / n;
            Set<Integer> knownHere = new HashSet<>();
            known.stream().filter(i -> i >= from && i < to).forEach(i -> knownHere.add(i - from));
            out.add(new Batch(rows.subList(from, to), now, knownHere));
        }
        return out;
    }

    /** HAPI's text of the resource's narrative XHTML, as its encoder writes it; null when it has none. */
    static String div(Resource r) {
        return r instanceof org.hl7.fhir.r4.model.DomainResource d && d.hasText() && d.getText().hasDiv()
                ? d.getText().getDiv().getValueAsString() : null;
    }

    /** {@code n} row keys from the sequence, in the order it gave them (also BulkResourceLoader's). */
    static long[] rowKeys(Connection c, int n) throws SQLException {
        long[] out = new long[n];
        if (n == 0) {
            return out;
        }
        try (PreparedStatement q = c.prepareStatement(ROW_KEYS)) {
            q.setInt(1, n);
            try (ResultSet rs = q.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    out[i] = rs.getLong(1);
                }
            }
        }
        return out;
    }

    private static List<Row> without(List<Row> rows, Set<Integer> positions) {
        if (positions.isEmpty()) {
            return rows;
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            if (!positions.contains(i)) {
                out.add(rows.get(i));
            }
        }
        return out;
    }

    /**
     * Writes the batch's resources whose ids are new as version 1, in one transaction, and returns
     * the positions of those whose ids the store holds (deleted ones included: they have a history),
     * which it leaves for the versioned path. Throws, having written nothing, when the database
     * refuses the batch (e.g. an id created meanwhile, or a value it rejects).
     */
    public Set<Integer> insertNew(Batch batch) {
        try (Connection c = jdbc.getConnection()) {
            c.setAutoCommit(false);
            try {
                // still atomic; the job's next checkpoint is committed synchronously, which flushes the WAL
                // up to it, these commits included; a crash before it loses at most this batch, and a
                // resumed job checks which lines of the chunk in flight the store holds (ImportResumption)
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL synchronous_commit = off");
                }
                Set<Integer> existing = existing(c, batch.rows.stream().map(Row::key).toList());
                CopyText text = batch.fresh;
                if (!existing.equals(batch.known)) { // created or removed since it was prepared
                    List<Row> fresh = without(batch.rows, existing);
                    if (fresh.stream().anyMatch(r -> r.body() == null)) {
                        throw new IllegalStateException("an id of the batch was removed meanwhile");
                    }
                    text = CopyText.of(fresh, batch.updated);
                }
                if (text.resources().length > 0) {
                    copy(c, text);
                }
                c.commit();
                return existing;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("import by COPY failed: " + e.getMessage(), e);
        }
    }

    /** Positions of the keys ({@code type/id}) the store holds (deleted ones included). */
    private static Set<Integer> existing(Connection c, List<String> keys) throws SQLException {
        String[] types = new String[keys.size()];
        String[] ids = new String[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            String[] k = keys.get(i).split("/", 2);
            types[i] = k[0];
            ids[i] = k[1];
        }
        Set<String> found = new HashSet<>();
        try (PreparedStatement q = c.prepareStatement(EXISTING)) {
            Array t = c.createArrayOf("text", types);
            Array i = c.createArrayOf("text", ids);
            q.setArray(1, t);
            q.setArray(2, i);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        Set<Integer> out = new HashSet<>();
        for (int k = 0; k < keys.size() && out.size() < found.size(); k++) {
            if (found.contains(keys.get(k))) {
                out.add(k);
            }
        }
        return out;
    }

    private static void copy(Connection c, CopyText text) throws SQLException, IOException {
        CopyManager copier = c.unwrap(PGConnection.class).getCopyAPI();
        copier.copyIn(CopyRows.RESOURCE, new ByteArrayInputStream(text.resources()));
        // version 1's history row is the resource row as stored: copied in the database, its body is not
        // parsed as JSON a second time (the history COPY cost as much as the resource COPY)
        try (PreparedStatement history = c.prepareStatement(FIRST_HISTORY)) {
            history.setArray(1, c.createArrayOf("text", text.types()));
            history.setArray(2, c.createArrayOf("text", text.ids()));
            history.executeUpdate();
        }
        for (int t = 0; t < CopyRows.INDEX.size(); t++) {
            if (text.index().get(t) != null) {
                copier.copyIn(CopyRows.INDEX.get(t).copy(), new ByteArrayInputStream(text.index().get(t)));
            }
        }
    }
}
