package org.concilium.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads and searches resources; writes go through a {@link ResourceWriter} inside a transaction. */
@ApplicationScoped
public class ResourceStore {

    static final String COLUMNS = "res_type, res_id, version, last_updated, deleted, body::text";

    private final Pool pool;
    private final ResourceIndexer indexer = new ResourceIndexer(FhirJson.context());

    @Inject
    public ResourceStore(Pool pool) {
        this.pool = pool;
    }

    /** The FHIRPath engine loads every StructureDefinition on first use: do that now, not on the event loop. */
    void warmUp(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        indexer.index(new org.hl7.fhir.r4.model.Observation());
    }

    /** Runs {@code work} in one database transaction: all of its writes land, or none do. */
    public <T> Uni<T> inTransaction(Function<ResourceWriter, Uni<T>> work) {
        return pool.withTransaction(conn -> work.apply(new ResourceWriter(conn, indexer, this)));
    }

    /**
     * As {@link #inTransaction}, with the commit not waiting for the WAL's fsync
     * ({@code synchronous_commit = off}): durable once committed unless the machine itself crashes
     * within PostgreSQL's WAL writer delay; the node's own death loses nothing committed.
     */
    public <T> Uni<T> inTransactionWithoutFsyncWait(Function<ResourceWriter, Uni<T>> work) {
        return pool.withTransaction(conn -> conn.query("SET LOCAL synchronous_commit = off").execute()
                .flatMap(x -> work.apply(new ResourceWriter(conn, indexer, this))));
    }

    public Uni<StoredResource> read(String type, String id) {
        return read(pool, type, id).map(found -> {
            if (found == null) {
                throw new StoreException(StoreException.Reason.NOT_FOUND, type + "/" + id + " is not known");
            }
            if (found.deleted()) {
                throw new StoreException(StoreException.Reason.GONE, type + "/" + id + " was deleted");
            }
            return found;
        });
    }

    /** The current row, deleted or not, or null. */
    Uni<StoredResource> read(SqlClient client, String type, String id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM resource WHERE res_type = $1 AND res_id = $2")
                .execute(Tuple.of(type, id)).map(ResourceStore::firstOrNull);
    }

    public Uni<StoredResource> vread(String type, String id, int version) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM resource_history"
                + " WHERE res_type = $1 AND res_id = $2 AND version = $3")
                .execute(Tuple.of(type, id, version)).map(ResourceStore::firstOrNull).map(found -> {
                    if (found == null) {
                        throw new StoreException(StoreException.Reason.NOT_FOUND,
                                type + "/" + id + " has no version " + version);
                    }
                    if (found.deleted()) {
                        throw new StoreException(StoreException.Reason.GONE,
                                type + "/" + id + " version " + version + " is a deletion");
                    }
                    return found;
                });
    }

    /** All versions of one resource, newest first; NOT_FOUND when it never existed. */
    public Uni<List<StoredResource>> history(String type, String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM resource_history"
                + " WHERE res_type = $1 AND res_id = $2 ORDER BY version DESC")
                .execute(Tuple.of(type, id)).map(ResourceStore::all).map(versions -> {
                    if (versions.isEmpty()) {
                        throw new StoreException(StoreException.Reason.NOT_FOUND, type + "/" + id + " is not known");
                    }
                    return versions;
                });
    }

    /** One page of type-level ({@code type} set) or system-level history, newest first. */
    public Uni<SearchPage> history(String type, java.time.Instant since, DateRange at, int count, PageCursor cursor) {
        return History.page(pool, type, since, at, count, cursor);
    }

    public Uni<SearchPage> search(SearchQuery query) {
        return search(pool, query);
    }

    Uni<SearchPage> search(SqlClient client, SearchQuery query) {
        return Subsumption.resolve(client, query).flatMap(q -> SearchExecutor.run(client, q));
    }

    /** Patient/[id]/$everything: one page of the Patient and its compartment. */
    public Uni<SearchPage> everything(String patientId, List<String> types, java.time.Instant since, int count,
            PageCursor cursor) {
        return Everything.page(pool, patientId, types, since, count, cursor);
    }

    /** Changes whenever a resource of the type is written or deleted: the row count and newest write. */
    public record TypeVersion(long rows, java.time.OffsetDateTime newest) {
    }

    public Uni<TypeVersion> typeVersion(String type) {
        return pool.preparedQuery("SELECT count(*), max(last_updated) FROM resource WHERE res_type = $1")
                .execute(Tuple.of(type)).map(rows -> {
                    Row r = rows.iterator().next();
                    return new TypeVersion(r.getLong(0), r.getOffsetDateTime(1));
                });
    }

    /** Every current resource of a type about one of the given patients (or all, when null). */
    public Uni<List<StoredResource>> byType(String type, List<String> patientReferences) {
        if (patientReferences == null) {
            return pool.preparedQuery("SELECT " + COLUMNS + " FROM resource WHERE res_type = $1 AND NOT deleted")
                    .execute(Tuple.of(type)).map(ResourceStore::all);
        }
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM resource WHERE res_type = $1 AND NOT deleted"
                + " AND subject = ANY($2)").execute(Tuple.of(type, patientReferences.toArray(String[]::new)))
                .map(ResourceStore::all);
    }

    static StoredResource toStored(Row row) {
        return new StoredResource(row.getString(0), row.getString(1), row.getInteger(2),
                row.getOffsetDateTime(3).toInstant(), row.getBoolean(4), row.getString(5));
    }

    private static StoredResource firstOrNull(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? toStored(it.next()) : null;
    }

    static List<StoredResource> all(RowSet<Row> rows) {
        List<StoredResource> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(toStored(r)));
        return out;
    }
}
