package org.concilium.store;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Resource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes many new resources at once, indexed exactly as the API's writes ({@link ResourceIndexer}):
 * the bench's and {@code $import}'s way to fill a store with a million patients in minutes. Version 1
 * only and no {@code _history} rows, so it is for fresh ids in an empty or bench store, never for
 * updates. Two ways, same rows: {@code INSERT ... SELECT FROM unnest(...)} on the reactive pool
 * ({@link #BulkResourceLoader(Pool)}), or COPY through a JDBC data source (the one Flyway uses) with
 * {@link #BulkResourceLoader(Pool, DataSource)} — COPY is the faster (docs/deploy.md, "Loading").
 * Thread-safe: calls from several threads load in parallel, each call one transaction.
 */
public final class BulkResourceLoader {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String INSERT = "INSERT INTO resource"
            + " (res_type, res_id, version, last_updated, deleted, body, subject, index_layout)"
            + " SELECT t, i, 1, $5, false, b::jsonb, s, " + IndexWriter.LAYOUT
            + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(t, i, b, s)"
            + " RETURNING res_type || '/' || res_id, row_key";

    private final Pool pool;
    private final DataSource copy;
    private final ResourceIndexer indexer = new ResourceIndexer(FhirJson.context());

    /** Loads with {@code INSERT ... unnest} on the reactive pool. */
    public BulkResourceLoader(Pool pool) {
        this(pool, null);
    }

    /** Loads with COPY on connections of {@code jdbc} (null: as {@link #BulkResourceLoader(Pool)}). */
    public BulkResourceLoader(Pool pool, DataSource jdbc) {
        this.pool = pool;
        this.copy = jdbc;
    }

    /** True when this loader writes with COPY. */
    public boolean copies() {
        return copy != null;
    }

    /** Inserts the resources (ids must be new) and their search-index rows in one transaction; blocks until committed. */
    public void insert(List<Resource> resources) {
        if (copy != null) {
            copy(render(resources));
        } else {
            unnest(prepare(resources, Instant.now()));
        }
    }

    /** One resource ready to write: identity, JSON and index rows. */
    private record Prepared(String type, String id, String body, IndexRows index) {
    }

    private List<Prepared> prepare(List<Resource> resources, Instant now) {
        List<Prepared> out = new ArrayList<>(resources.size());
        for (Resource r : resources) {
            r.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
            IndexRows f = indexer.index(r);
            out.add(new Prepared(r.fhirType(), r.getIdElement().getIdPart(), FhirJson.encode(r), f));
        }
        return out;
    }

    private void unnest(List<Prepared> rows) {
        int n = rows.size();
        String[] types = new String[n];
        String[] ids = new String[n];
        String[] bodies = new String[n];
        String[] subjects = new String[n];
        for (int k = 0; k < n; k++) {
            Prepared p = rows.get(k);
            types[k] = p.type();
            ids[k] = p.id();
            bodies[k] = p.body();
            subjects[k] = p.index().subject();
        }
        Instant now = Instant.now();
        pool.withTransaction(conn -> conn.preparedQuery(INSERT)
                        .execute(Tuple.tuple(List.of(types, ids, bodies, subjects, now.atOffset(ZoneOffset.UTC))))
                        .flatMap(written -> {
                            Map<String, Long> keys = new HashMap<>(n * 2);
                            written.forEach(r -> keys.put(r.getString(0), r.getLong(1)));
                            List<IndexWriter.Indexed> index = new ArrayList<>(n);
                            for (Prepared p : rows) {
                                index.add(new IndexWriter.Indexed(p.type(), p.id(), keys.get(p.type() + "/" + p.id()),
                                        p.index()));
                            }
                            return IndexWriter.replace(conn, index, false);
                        }))
                .await().atMost(TIMEOUT);
    }

    /**
     * The resources as COPY text (indexed and encoded as {@link #insert} would write them), to be
     * written with {@link #copy(CopyText)} now or stamped out as templates.
     */
    public CopyText render(List<Resource> resources) {
        return render(resources, Instant.now());
    }

    /** As {@link #render(List)}, last updated at {@code now} (text that does not depend on the clock). */
    public CopyText render(List<Resource> resources, Instant now) {
        List<Prepared> rows = prepare(resources, now);
        CopyText text = new CopyText();
        for (Prepared p : rows) {
            CopyRows.resource(text.resources, p.type(), p.id(), now, p.body(), p.index().subject(), null);
        }
        for (int t = 0; t < CopyRows.INDEX.size(); t++) {
            for (Prepared p : rows) {
                CopyRows.index(text.index[t], CopyRows.INDEX.get(t), p.type(), p.id(), null, p.index());
            }
        }
        text.added(rows.size());
        return text;
    }

    /** Writes rendered rows (ids must be new) in one transaction; needs the COPY constructor. */
    public void copy(CopyText text) {
        if (copy == null) {
            throw new IllegalStateException("this loader writes with unnest; COPY needs a JDBC data source");
        }
        try (Connection c = copy.getConnection()) {
            c.setAutoCommit(false);
            try {
                CopyManager copier = c.unwrap(PGConnection.class).getCopyAPI();
                // rendered (or stamped from templates) without row keys: each resource takes one now
                Map<String, Long> keys = rowKeys(c, text.resources);
                copier.copyIn(CopyRows.RESOURCE, new StringReader(CopyRows.withRowKeys(text.resources, keys)));
                for (int t = 0; t < CopyRows.INDEX.size(); t++) {
                    if (!text.index[t].isEmpty()) {
                        copier.copyIn(CopyRows.INDEX.get(t).copy(),
                                new StringReader(CopyRows.withRowKeys(text.index[t], keys)));
                    }
                }
                c.commit();
            } catch (SQLException | java.io.IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("bulk load by COPY failed: " + e.getMessage(), e);
        }
    }

    /** A row key from the sequence for each resource row ({@code type/id} from its first two fields). */
    private static Map<String, Long> rowKeys(Connection c, CharSequence resourceRows) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (String line : resourceRows.toString().split("\n")) {
            String[] f = line.split("\t", 3);
            if (f.length >= 2) {
                ids.add(f[0] + "/" + f[1]);
            }
        }
        long[] keys = FirstVersions.rowKeys(c, ids.size());
        Map<String, Long> out = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < keys.length; i++) {
            out.put(ids.get(i), keys[i]);
        }
        return out;
    }
}
