package org.concilium.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.concilium.testing.SharedData;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code $import}'s COPY path ({@link FirstVersions}) writes exactly the rows the versioned write
 * path ({@link ResourceWriter#upsertAll}) writes for a create — the resource row, the history row
 * and every search-index row — over thousands of Synthea resources and text that COPY must escape;
 * and it leaves ids the store holds to the versioned path, untouched.
 */
class FirstVersionsTest {

    private static final List<String> TABLES = List.of("idx_string", "idx_token", "idx_reference", "idx_date",
            "idx_number", "idx_quantity", "idx_uri", "idx_composite");

    @TempDir
    static Path tmp;
    private static EmbeddedDatabase db;
    private static Vertx vertx;
    private static Pool pool;
    private static PGSimpleDataSource jdbc;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.start(tmp.resolve("postgres"));
        String url = DatabaseUrls.jdbcFromReactive(db.reactiveUrl());
        org.flywaydb.core.Flyway.configure().dataSource(url, "postgres", "postgres")
                .locations("classpath:db/migration").load().migrate();
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(db.reactiveUrl()).setUser("postgres")
                .setPassword("postgres")).with(new PoolOptions().setMaxSize(2)).using(vertx).build();
        jdbc = new PGSimpleDataSource();
        jdbc.setURL(url);
        jdbc.setUser("postgres");
        jdbc.setPassword("postgres");
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void clear() {
        pool.query("TRUNCATE resource, resource_history, " + String.join(", ", TABLES) + " CASCADE").execute()
                .await().indefinitely();
    }

    @Test
    void copyWritesTheRowsAndHistoryTheVersionedPathWrites() throws IOException {
        List<Resource> set = resources();
        assertThat(set).hasSizeGreaterThan(2000);
        ResourceStore store = new ResourceStore(pool);
        for (List<Resource> batch : batches(copies(set), 500)) {
            store.inTransaction(w -> w.upsertAll(batch)).await().indefinitely();
        }
        List<String> byRows = rows();
        assertThat(byRows).anyMatch(r -> r.startsWith("history ")).anyMatch(r -> r.startsWith("idx_composite"))
                .anyMatch(r -> r.startsWith("idx_quantity")).anyMatch(r -> r.contains("tab\there"));
        clear();

        FirstVersions first = new FirstVersions(jdbc);
        for (List<Resource> batch : batches(copies(set), 1000)) {
            assertThat(first.insertNew(first.prepare(batch))).isEmpty();
        }
        assertThat(rows()).containsExactlyInAnyOrderElementsOf(byRows);
    }

    @Test
    void idsTheStoreHoldsAreLeftToTheVersionedPath() {
        ResourceStore store = new ResourceStore(pool);
        store.inTransaction(w -> w.upsertAll(List.of(patient("fv-old", "Before")))).await().indefinitely();
        FirstVersions first = new FirstVersions(jdbc);
        FirstVersions.Batch batch = first.prepare(List.of(patient("fv-new-1", "A"), patient("fv-old", "After"),
                patient("fv-new-2", "B")));

        assertThat(first.insertNew(batch)).containsExactly(1);
        assertThat(pool.query("SELECT res_id, version, body->'name'->0->>'family' FROM resource ORDER BY res_id")
                .execute().await().indefinitely()).extracting(r -> r.getString(0) + " " + r.getInteger(1) + " "
                        + r.getString(2)).containsExactly("fv-new-1 1 A", "fv-new-2 1 B", "fv-old 1 Before");
        assertThat(pool.query("SELECT count(*) FROM resource_history").execute().await().indefinitely().iterator()
                .next().getLong(0)).isEqualTo(3);
        // all held now: nothing written
        assertThat(first.insertNew(first.prepare(List.of(patient("fv-new-1", "C"), patient("fv-old", "D")))))
                .isEqualTo(Set.of(0, 1));
        assertThat(pool.query("SELECT count(*) FROM resource_history").execute().await().indefinitely().iterator()
                .next().getLong(0)).isEqualTo(3);
    }

    @Test
    void anIdCreatedAfterThePrepareIsHandedBackAndTheOthersWritten() {
        FirstVersions first = new FirstVersions(jdbc);
        FirstVersions.Batch batch = first.prepare(List.of(patient("fv-a", "A"), patient("fv-b", "B")));
        ResourceStore store = new ResourceStore(pool);
        store.inTransaction(w -> w.upsertAll(List.of(patient("fv-b", "Meanwhile")))).await().indefinitely();

        assertThat(first.insertNew(batch)).containsExactly(1);
        assertThat(pool.query("SELECT res_id, version, body->'name'->0->>'family' FROM resource ORDER BY res_id")
                .execute().await().indefinitely()).extracting(r -> r.getString(0) + " " + r.getInteger(1) + " "
                        + r.getString(2)).containsExactly("fv-a 1 A", "fv-b 1 Meanwhile");
    }

    private static Patient patient(String id, String family) {
        Patient p = new Patient();
        p.setId(id);
        p.addName().setFamily(family);
        return p;
    }

    /** Resources of a few Synthea bundles, and a patient whose text COPY must escape. */
    private static List<Resource> resources() throws IOException {
        List<Resource> out = new ArrayList<>();
        Patient odd = new Patient();
        odd.setId("fv-odd");
        odd.addName().setFamily("Back\\slash tab\there").addGiven("new\nline\r\u00e9\u6f22");
        odd.addIdentifier().setSystem("urn:mrn").setValue("\\N");
        out.add(odd);
        Set<String> seen = new java.util.HashSet<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(SharedData.dir("synthea-100"))) {
            files = list.filter(f -> f.getFileName().toString().startsWith("patient-")).sorted().limit(8).toList();
        }
        for (Path f : files) {
            Bundle b = FhirJson.parse(Bundle.class, Files.readString(f));
            for (Bundle.BundleEntryComponent e : b.getEntry()) {
                if (seen.add(e.getResource().fhirType() + "/" + e.getResource().getIdPart())) {
                    out.add(e.getResource()); // organizations recur across bundles
                }
            }
        }
        return out;
    }

    private static List<Resource> copies(List<Resource> set) {
        return set.stream().map(Resource::copy).toList();
    }

    private static List<List<Resource>> batches(List<Resource> all, int size) {
        List<List<Resource>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }

    /** Every row of the resource, history and index tables, as text, without the write time. */
    private static List<String> rows() {
        List<String> out = new ArrayList<>();
        for (Row r : pool.query("SELECT res_type, res_id, version, deleted, body::text, subject, index_layout"
                + " FROM resource").execute().await().indefinitely()) {
            out.add("resource " + r.getString(0) + "/" + r.getString(1) + " v" + r.getInteger(2) + " " + r.getBoolean(3)
                    + " " + r.getString(5) + " " + r.getInteger(6) + " " + withoutTime(r.getString(4)));
        }
        for (Row r : pool.query("SELECT res_type, res_id, version, h.deleted, h.body::text, h.last_updated = x.last_updated"
                + " FROM resource_history h JOIN resource x USING (res_type, res_id, version)").execute().await()
                .indefinitely()) {
            out.add("history " + r.getString(0) + "/" + r.getString(1) + " v" + r.getInteger(2) + " " + r.getBoolean(3)
                    + " same time as current: " + r.getBoolean(5) + " " + withoutTime(r.getString(4)));
        }
        for (String table : TABLES) {
            for (Row r : pool.query("SELECT t::text FROM " + table + " t").execute().await().indefinitely()) {
                out.add(table + " " + r.getString(0));
            }
        }
        return out;
    }

    private static String withoutTime(String body) {
        return body.replaceAll("\"lastUpdated\": ?\"[^\"]*\"", "");
    }
}
