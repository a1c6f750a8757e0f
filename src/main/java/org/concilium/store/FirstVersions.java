package org.concilium.store;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * The fast path of {@code $import} for ids the store does not hold yet: which ids of a batch are new,
 * and their first versions written with {@link BulkResourceLoader} (COPY of the batch and its
 * index rows, one transaction) followed by one statement copying them into {@code resource_history}, so vread and
 * {@code _history} see version 1 as for any other create. Ids that exist go through the versioned
 * write path instead ({@link ResourceWriter#upsertAll}). Blocking.
 */
public final class FirstVersions {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String KEYS = "(res_type, res_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))";

    private final Pool pool;
    private final BulkResourceLoader loader;

    /** With {@code jdbc} (nullable) the loader writes by COPY, its faster way. */
    public FirstVersions(Pool pool, javax.sql.DataSource jdbc) {
        this.pool = pool;
        this.loader = new BulkResourceLoader(pool, jdbc);
    }

    /** The {@code Type/id} keys of {@code resources} the store holds (deleted ones included: they have a history). */
    public Set<String> existing(List<Resource> resources) {
        Set<String> out = new HashSet<>();
        for (Row r : pool.preparedQuery("SELECT res_type || '/' || res_id FROM resource WHERE " + KEYS)
                .execute(keys(resources)).await().atMost(TIMEOUT)) {
            out.add(r.getString(0));
        }
        return out;
    }

    /**
     * Writes resources whose ids are new as version 1. Throws (and writes nothing of the batch) when
     * one of them exists by now, e.g. a concurrent create: the caller then writes them the versioned way.
     */
    public void insert(List<Resource> resources) {
        if (resources.isEmpty()) {
            return;
        }
        loader.insert(resources);
        // after the loader's own commit: a crash in between leaves version 1 current but not in _history
        pool.preparedQuery("INSERT INTO resource_history (res_type, res_id, version, last_updated, deleted, body)"
                + " SELECT res_type, res_id, version, last_updated, deleted, body FROM resource WHERE " + KEYS
                + " AND version = 1 ON CONFLICT DO NOTHING").execute(keys(resources)).await().atMost(TIMEOUT);
    }

    private static Tuple keys(List<Resource> resources) {
        return Tuple.of(resources.stream().map(Resource::fhirType).toArray(String[]::new),
                resources.stream().map(r -> r.getIdElement().getIdPart()).toArray(String[]::new));
    }
}
