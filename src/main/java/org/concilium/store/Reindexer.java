package org.concilium.store;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;
import org.jboss.logging.Logger;

/**
 * Brings the search index up to the current layout at start-up: rows written before the typed
 * index tables existed (or by an older extraction, see {@link IndexWriter#LAYOUT}) are
 * re-indexed in batches, each in its own transaction. A fresh database has nothing to do.
 */
@ApplicationScoped
public class Reindexer {

    private static final Logger LOG = Logger.getLogger(Reindexer.class);
    private static final int BATCH = 500;

    void onStart(@Observes @jakarta.annotation.Priority(20) StartupEvent event, Pool pool) {
        ResourceIndexer indexer = new ResourceIndexer(FhirJson.context());
        long done = 0;
        while (true) {
            int n = pool.withTransaction(conn -> conn.preparedQuery("SELECT res_type, res_id, deleted, body::text, row_key"
                    + " FROM resource WHERE index_layout < $1 LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED")
                    .execute(Tuple.of(IndexWriter.LAYOUT)).flatMap(rows -> {
                        List<IndexWriter.Indexed> batch = new ArrayList<>();
                        for (Row r : rows) {
                            IndexRows index = r.getBoolean(2) ? null
                                    : indexer.index(FhirJson.parse(Resource.class, r.getString(3)));
                            batch.add(new IndexWriter.Indexed(r.getString(0), r.getString(1), r.getLong(4), index));
                        }
                        if (batch.isEmpty()) {
                            return Uni.createFrom().item(0);
                        }
                        return IndexWriter.replace(conn, batch, true)
                                .flatMap(x -> conn.preparedQuery("UPDATE resource SET index_layout = $1,"
                                        + " subject = COALESCE(s.subject, resource.subject) FROM unnest($2::text[],"
                                        + " $3::text[], $4::text[]) AS s(t, i, subject)"
                                        + " WHERE resource.res_type = s.t AND resource.res_id = s.i")
                                        .execute(Tuple.of(IndexWriter.LAYOUT,
                                                batch.stream().map(IndexWriter.Indexed::type).toArray(String[]::new),
                                                batch.stream().map(IndexWriter.Indexed::id).toArray(String[]::new),
                                                batch.stream().map(b -> b.rows() == null ? null : b.rows().subject())
                                                        .toArray(String[]::new))))
                                .replaceWith(batch.size());
                    })).await().indefinitely();
            if (n == 0) {
                break;
            }
            done += n;
        }
        if (done > 0) {
            LOG.infof("re-indexed %d resources for search index layout %d", done, IndexWriter.LAYOUT);
        }
    }
}
