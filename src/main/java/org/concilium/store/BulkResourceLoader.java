package org.concilium.store;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes many new resources in one statement per call ({@code INSERT ... SELECT FROM unnest(...)}),
 * indexed exactly as the API's writes ({@link ResourceIndexer}): the bench's way to fill a store with
 * a million patients in minutes. Version 1 only and no {@code _history} rows, so it is for fresh ids
 * in an empty or bench store, never for updates.
 */
public final class BulkResourceLoader {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String INSERT = "INSERT INTO resource"
            + " (res_type, res_id, version, last_updated, deleted, body, subject, index_layout)"
            + " SELECT t, i, 1, $5, false, b::jsonb, s, " + IndexWriter.LAYOUT
            + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(t, i, b, s)";

    private final Pool pool;
    private final ResourceIndexer indexer = new ResourceIndexer(FhirJson.context());

    public BulkResourceLoader(Pool pool) {
        this.pool = pool;
    }

    /** Inserts the resources (ids must be new) and their search-index rows in one transaction; blocks until committed. */
    public void insert(List<Resource> resources) {
        int n = resources.size();
        String[] types = new String[n];
        String[] ids = new String[n];
        String[] bodies = new String[n];
        String[] subjects = new String[n];
        List<IndexWriter.Indexed> index = new java.util.ArrayList<>(n);
        Instant now = Instant.now();
        for (int k = 0; k < n; k++) {
            Resource r = resources.get(k);
            r.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
            IndexRows f = indexer.index(r);
            types[k] = r.fhirType();
            ids[k] = r.getIdElement().getIdPart();
            bodies[k] = FhirJson.encode(r);
            subjects[k] = f.subject();
            index.add(new IndexWriter.Indexed(types[k], ids[k], f));
        }
        pool.withTransaction(conn -> conn.preparedQuery(INSERT)
                        .execute(Tuple.tuple(List.of(types, ids, bodies, subjects, now.atOffset(ZoneOffset.UTC))))
                        .flatMap(x -> IndexWriter.replace(conn, index, false)))
                .await().atMost(TIMEOUT);
    }
}
