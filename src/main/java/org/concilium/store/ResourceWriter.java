package org.concilium.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes resources inside one open transaction (see {@link ResourceStore#inTransaction}).
 * Every write stores the new current version and appends it to the history.
 */
public final class ResourceWriter {

    private static final String UPSERT = "WITH h AS (INSERT INTO resource_history"
            + " (res_type, res_id, version, last_updated, deleted, body) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb))"
            + " INSERT INTO resource (res_type, res_id, version, last_updated, deleted, body, subject, index_layout)"
            + " VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, " + IndexWriter.LAYOUT + ")"
            + " ON CONFLICT (res_type, res_id) DO UPDATE SET version = EXCLUDED.version,"
            + " last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted, body = EXCLUDED.body,"
            + " subject = EXCLUDED.subject, index_layout = EXCLUDED.index_layout RETURNING row_key";

    private final SqlConnection conn;
    private final ResourceIndexer indexer;
    private final ResourceStore store;

    ResourceWriter(SqlConnection conn, ResourceIndexer indexer, ResourceStore store) {
        this.conn = conn;
        this.indexer = indexer;
        this.store = store;
    }

    /** This transaction's connection, for the other writers of the store package (TransactionReceipts). */
    SqlConnection connection() {
        return conn;
    }

    /** A fresh server-assigned id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Creates the resources under the ids they carry (assigned by the caller with {@link #newId()}), in one batch. */
    public Uni<List<StoredResource>> createAll(List<Resource> resources) {
        if (resources.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Tuple> rows = new ArrayList<>(resources.size());
        List<IndexRows> index = new ArrayList<>(resources.size());
        List<StoredResource> stored = new ArrayList<>(resources.size());
        Instant now = now();
        for (Resource r : resources) {
            StoredResource s = prepare(r, 1, now);
            IndexRows f = indexer.index(r);
            stored.add(s);
            rows.add(row(s, f));
            index.add(f);
        }
        return conn.preparedQuery(UPSERT).executeBatch(rows)
                .flatMap(written -> IndexWriter.replace(conn, indexed(stored, written, index), false)).replaceWith(stored);
    }

    /**
     * Writes each resource under the id it carries: a new version of an existing resource, else
     * version 1 ($import). One lock, one read of the current versions and one batched write for the
     * whole batch; ids must be distinct within the batch.
     */
    public Uni<List<WriteResult>> upsertAll(List<Resource> resources) {
        return upsertAll(resources, null);
    }

    /**
     * As {@link #upsertAll(List)}, with each resource's index rows worked out already (they do not
     * depend on the version), e.g. by {@code $import}'s parser threads; null: worked out here.
     */
    public Uni<List<WriteResult>> upsertAll(List<Resource> resources, List<IndexRows> indexed) {
        return upsertAll(resources, indexed, null);
    }

    /**
     * As {@link #upsertAll(List, List)}; {@code sources} (nullable) holds the JSON each resource was parsed
     * from, stored with only id and meta set ({@link RawBody}) instead of encoding the resource again
     * (HAPI's encoder cost ~8 times RawBody's per Synthea resource).
     */
    public Uni<List<WriteResult>> upsertAll(List<Resource> resources, List<IndexRows> indexed, List<String> sources) {
        if (resources.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] types = resources.stream().map(Resource::fhirType).toArray(String[]::new);
        String[] ids = resources.stream().map(r -> r.getIdElement().getIdPart()).toArray(String[]::new);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            keys.add(types[i] + "/" + ids[i]);
        }
        return lock(keys).flatMap(x -> conn.preparedQuery("SELECT res_type || '/' || res_id, version FROM resource"
                + " WHERE (res_type, res_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) FOR UPDATE")
                .execute(Tuple.of(types, ids))).flatMap(current -> {
                    java.util.Map<String, Integer> versions = new java.util.HashMap<>();
                    current.forEach(row -> versions.put(row.getString(0), row.getInteger(1)));
                    List<Tuple> rows = new ArrayList<>(resources.size());
                    List<IndexRows> index = new ArrayList<>(resources.size());
                    List<StoredResource> stored = new ArrayList<>(resources.size());
                    List<WriteResult> results = new ArrayList<>(resources.size());
                    Instant now = now();
                    for (int i = 0; i < resources.size(); i++) {
                        Integer v = versions.get(keys.get(i));
                        StoredResource s = prepare(resources.get(i), v == null ? 1 : v + 1, now,
                                sources == null ? null : sources.get(i));
                        IndexRows f = indexed != null ? indexed.get(i) : indexer.index(resources.get(i));
                        rows.add(row(s, f));
                        index.add(f);
                        stored.add(s);
                        results.add(new WriteResult(s, v == null));
                    }
                    return conn.preparedQuery(UPSERT).executeBatch(rows)
                            .flatMap(written -> IndexWriter.replace(conn, indexed(stored, written, index),
                                    !versions.isEmpty())).replaceWith(results);
                });
    }

    public Uni<StoredResource> create(Resource resource) {
        resource.setId(newId());
        return createAll(List.of(resource)).map(l -> l.get(0));
    }

    /**
     * Serialises, until this transaction ends, every writer that names one of {@code keys}: a
     * {@code Type/id} (so concurrent creates-by-PUT of one new id cannot both insert version 1) or a
     * conditional-create criteria key (so concurrent conditional creates find each other's row).
     * Keys are locked in one fixed order, so two transactions taking several never deadlock.
     */
    public Uni<Void> lock(java.util.Collection<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] hashes = keys.stream().map(WriteLocks::hash).distinct().sorted().toArray(Long[]::new);
        return conn.preparedQuery("SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k")
                .execute(Tuple.tuple().addArrayOfLong(hashes)).replaceWithVoid();
    }

    /** Update or create-on-update; {@code ifMatchVersion} (nullable) must equal the current version. */
    public Uni<WriteResult> update(Resource resource, Integer ifMatchVersion) {
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        return lock(List.of(type + "/" + id)).flatMap(x -> lockCurrent(type, id)).flatMap(current -> {
            boolean exists = current != null;
            if (ifMatchVersion != null && (!exists || current.version() != ifMatchVersion)) {
                throw new StoreException(StoreException.Reason.VERSION_CONFLICT, type + "/" + id + " is at version "
                        + (exists ? current.version() : "none") + ", not " + ifMatchVersion);
            }
            StoredResource s = prepare(resource, exists ? current.version() + 1 : 1, now());
            boolean created = !exists || current.deleted();
            IndexRows f = indexer.index(resource);
            return conn.preparedQuery(UPSERT).execute(row(s, f))
                    .flatMap(written -> IndexWriter.replace(conn, indexed(List.of(s), written, List.of(f)), exists))
                    .replaceWith(new WriteResult(s, created));
        });
    }

    /** Deletes the current version; returns null when there was nothing to delete. */
    public Uni<StoredResource> delete(String type, String id, Integer ifMatchVersion) {
        return lock(List.of(type + "/" + id)).flatMap(x -> lockCurrent(type, id)).flatMap(current -> {
            if (ifMatchVersion != null && (current == null || current.version() != ifMatchVersion)) {
                throw new StoreException(StoreException.Reason.VERSION_CONFLICT,
                        type + "/" + id + " is not at version " + ifMatchVersion);
            }
            if (current == null || current.deleted()) {
                return Uni.createFrom().nullItem();
            }
            StoredResource s = new StoredResource(type, id, current.version() + 1, now(), true, null);
            Tuple row = Tuple.from(List.of(type, id, s.version(), utc(s.lastUpdated()), true));
            row.addValue(null).addValue(null);
            return conn.preparedQuery(UPSERT).execute(row)
                    .flatMap(written -> IndexWriter.replace(conn, indexed(List.of(s), written,
                            Collections.singletonList(null)), true))
                    .replaceWith(s);
        });
    }

    /** Search inside this transaction (conditional create/update/delete). */
    public Uni<SearchPage> search(SearchQuery query) {
        return store.search(conn, query);
    }

    private Uni<StoredResource> lockCurrent(String type, String id) {
        return conn.preparedQuery("SELECT " + ResourceStore.COLUMNS
                + " FROM resource WHERE res_type = $1 AND res_id = $2 FOR UPDATE").execute(Tuple.of(type, id))
                .map(rows -> rows.iterator().hasNext() ? ResourceStore.toStored(rows.iterator().next()) : null);
    }

    private static StoredResource prepare(Resource r, int version, Instant now) {
        return prepare(r, version, now, null);
    }

    /** Sets version and time on {@code r} and makes its JSON: from {@code source} when given and RawBody can. */
    private static StoredResource prepare(Resource r, int version, Instant now, String source) {
        r.getMeta().setVersionId(Integer.toString(version));
        r.getMeta().setLastUpdated(Date.from(now));
        r.setId(r.getIdElement().getIdPart());
        String id = r.getIdElement().getIdPart();
        String body = source == null ? null : RawBody.withVersion(source, id, Integer.toString(version),
                r.getMeta().getLastUpdatedElement().getValueAsString(), FirstVersions.div(r));
        return new StoredResource(r.fhirType(), id, version, now, false, body != null ? body : FhirJson.encode(r));
    }

    private static Tuple row(StoredResource s, IndexRows f) {
        Tuple t = Tuple.tuple();
        t.addValue(s.type()).addValue(s.id()).addValue(s.version()).addValue(utc(s.lastUpdated())).addValue(false)
                .addValue(s.json()).addValue(f.subject());
        return t;
    }

    /**
     * The index rows of the written resources under the row keys the UPSERT returned: one result per row
     * of the batch, in order (a resource keeps the key it was first given).
     */
    private static List<IndexWriter.Indexed> indexed(List<StoredResource> stored, RowSet<Row> written,
            List<IndexRows> rows) {
        List<IndexWriter.Indexed> out = new ArrayList<>(stored.size());
        RowSet<Row> result = written;
        for (int i = 0; i < stored.size(); i++, result = result.next()) {
            StoredResource s = stored.get(i);
            out.add(new IndexWriter.Indexed(s.type(), s.id(), result.iterator().next().getLong(0), rows.get(i)));
        }
        return out;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
