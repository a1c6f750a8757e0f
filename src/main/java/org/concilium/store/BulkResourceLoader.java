package org.concilium.store;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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
    private static final String TOKEN_SEPARATOR = "\u001f"; // cannot occur in a token
    private static final String INSERT = "INSERT INTO resource"
            + " (res_type, res_id, version, last_updated, deleted, body, subject, tokens, date_lo, date_hi)"
            + " SELECT t, i, 1, $8, false, b::jsonb, s,"
            + " CASE WHEN k = '' THEN '{}'::text[] ELSE string_to_array(k, E'\\x1f') END, lo, hi"
            + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])"
            + " AS x(t, i, b, s, k, lo, hi)";

    private final Pool pool;
    private final ResourceIndexer indexer = new ResourceIndexer(FhirJson.context());

    public BulkResourceLoader(Pool pool) {
        this.pool = pool;
    }

    /** Inserts the resources (ids must be new); blocks until committed. Indexing runs on the caller's thread. */
    public void insert(List<Resource> resources) {
        int n = resources.size();
        String[] types = new String[n];
        String[] ids = new String[n];
        String[] bodies = new String[n];
        String[] subjects = new String[n];
        String[] tokens = new String[n];
        OffsetDateTime[] lows = new OffsetDateTime[n];
        OffsetDateTime[] highs = new OffsetDateTime[n];
        Instant now = Instant.now();
        for (int k = 0; k < n; k++) {
            Resource r = resources.get(k);
            r.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
            IndexedFields f = indexer.index(r);
            types[k] = r.fhirType();
            ids[k] = r.getIdElement().getIdPart();
            bodies[k] = FhirJson.encode(r);
            subjects[k] = f.subject();
            tokens[k] = String.join(TOKEN_SEPARATOR, f.tokens());
            lows[k] = f.date() == null ? null : f.date().low().atOffset(ZoneOffset.UTC);
            highs[k] = f.date() == null ? null : f.date().high().atOffset(ZoneOffset.UTC);
        }
        pool.preparedQuery(INSERT)
                .execute(Tuple.tuple(List.of(types, ids, bodies, subjects, tokens, lows, highs, now.atOffset(ZoneOffset.UTC))))
                .await().atMost(TIMEOUT);
    }
}
