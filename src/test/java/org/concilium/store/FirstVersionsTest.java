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
                .anyMatch(r -> r.startsWith("idx_quantity"))
                .anyMatch(r -> r.startsWith("idx_string") && r.contains("tab\\there")); // a tab, as JSON escapes it
        assertThat(byRows).filteredOn(r -> r.startsWith("idx_")).isNotEmpty()
                .allMatch(r -> r.endsWith("keyed to its resource: true"));
        clear();

        FirstVersions first = new FirstVersions(jdbc);
        for (List<Resource> batch : batches(copies(set), 1000)) {
            assertThat(first.insertNew(first.prepare(batch))).isEmpty();
        }
        assertThat(rows()).containsExactlyInAnyOrderElementsOf(byRows);
    }

    /**
     * A new version written from the line as sent ({@code $import}'s updates: {@code upsertAll} with
     * sources) stores the JSONB, history and index rows HAPI's encode of the parsed line stores.
     */
    @Test
    void updatesFromTheLinesAsSentStoreWhatTheEncoderStores() throws IOException {
        List<String> lines = rawLines();
        ResourceStore store = new ResourceStore(pool);
        for (List<String> batch : batches(lines, 500)) {
            store.inTransaction(w -> w.upsertAll(parsed(batch))).await().indefinitely();
            store.inTransaction(w -> w.upsertAll(parsed(batch))).await().indefinitely();
        }
        List<String> byEncoder = rows();
        assertThat(byEncoder).anyMatch(r -> r.startsWith("history ") && r.contains(" v2 "));
        clear();

        for (List<String> batch : batches(lines, 500)) {
            store.inTransaction(w -> w.upsertAll(parsed(batch))).await().indefinitely();
            store.inTransaction(w -> w.upsertAll(parsed(batch), null, batch)).await().indefinitely();
        }
        assertThat(rows()).containsExactlyInAnyOrderElementsOf(byEncoder);
    }

    /**
     * Lines as sent (Synthea's own JSON, not HAPI's encoding of it, and hand-written edge cases) stored with
     * only id and meta set ({@link RawBody}): the JSONB and every other row equal what the versioned path
     * stores after HAPI's parse and encode. Most lines must take the raw way, else this shows nothing.
     */
    @Test
    void linesStoredAsSentGiveTheJsonbTheVersionedPathStores() throws IOException {
        List<String> lines = rawLines();
        assertThat(lines.size()).isGreaterThan(2000);
        ResourceStore store = new ResourceStore(pool);
        for (List<String> batch : batches(lines, 500)) {
            store.inTransaction(w -> w.upsertAll(parsed(batch))).await().indefinitely();
        }
        List<String> byRows = rows();
        clear();

        FirstVersions first = new FirstVersions(jdbc);
        for (List<String> batch : batches(lines, 1000)) {
            assertThat(first.insertNew(first.prepare(parsed(batch), batch))).isEmpty();
        }
        assertThat(rows()).containsExactlyInAnyOrderElementsOf(byRows);
        List<Resource> all = parsed(lines);
        long raw = java.util.stream.IntStream.range(0, lines.size()).filter(i -> RawBody.withVersion(lines.get(i), "x",
                "1", "2026-01-01T00:00:00.000+00:00", FirstVersions.div(all.get(i))) != null).count();
        assertThat(raw).isGreaterThan(lines.size() * 9L / 10);
    }

    @Test
    void whatHapiWouldWriteOtherwiseIsLeftToItsEncoder() {
        for (String line : List.of("[]", "{\"resourceType\":\"Patient\",\"name\":[]}",
                "{\"resourceType\":\"Patient\",\"name\":[{}]}", "{\"resourceType\":\"Patient\",\"gender\":null}",
                "{\"resourceType\":\"Patient\",\"gender\":\"\"}", "{\"resourceType\":\"Patient\",\"gender\":\" male\"}",
                "{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":1e3}}",
                "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/1/_history/2\"}}",
                "{\"resourceType\":\"Observation\",\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\"}]}",
                "{\"resourceType\":\"Patient\",\"_id\":{\"extension\":[{\"url\":\"u\",\"valueString\":\"v\"}]}}",
                "{\"resourceType\":\"Patient\",\"meta\":{\"_versionId\":{\"id\":\"x\"}}}",
                "{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"a\",\"b\"],\"_given\":[null,{\"id\":\"g\"}]}]}",
                "{\"resourceType\":\"Patient\",\"gender\":\"male\",\"gender\":\"female\"}",
                "{\"resourceType\":\"Patient\"} {}")) {
            assertThat(RawBody.withVersion(line, "x", "1", "2026-01-01T00:00:00.000+00:00", null)).as(line).isNull();
        }
        assertThat(RawBody.withVersion("{\"resourceType\":\"Patient\",\"id\":\"old\",\"meta\":{\"versionId\":\"7\","
                + "\"tag\":[{\"code\":\"t\"}]},\"multipleBirthInteger\":2}", "new", "1", "T", null))
                .isEqualTo("{\"id\":\"new\",\"resourceType\":\"Patient\",\"meta\":{\"tag\":[{\"code\":\"t\"}],"
                        + "\"versionId\":\"1\",\"lastUpdated\":\"T\"},\"multipleBirthInteger\":2}");
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
    void partsWrittenAtOnceOnTwoConnectionsHandBackHeldIdsAtTheirPlaceInThePart() throws Exception {
        ResourceStore store = new ResourceStore(pool);
        store.inTransaction(w -> w.upsertAll(List.of(patient("fv-p-held", "Before")))).await().indefinitely();
        FirstVersions first = new FirstVersions(jdbc);
        List<FirstVersions.Batch> parts = first.prepare(List.of(patient("fv-p-1", "A"), patient("fv-p-2", "B"),
                patient("fv-p-3", "C"), patient("fv-p-held", "After"), patient("fv-p-5", "E")), null, 2);

        assertThat(parts).extracting(FirstVersions.Batch::size).containsExactly(2, 3);
        var pool2 = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> first.insertNew(parts.get(0)), pool2);
            var b = java.util.concurrent.CompletableFuture.supplyAsync(() -> first.insertNew(parts.get(1)), pool2);
            assertThat(a.get()).isEmpty();
            assertThat(b.get()).containsExactly(1); // fv-p-held: the second of its part
        } finally {
            pool2.shutdown();
        }
        assertThat(pool.query("SELECT res_id, version, body->'name'->0->>'family' FROM resource"
                + " WHERE res_id LIKE 'fv-p-%' ORDER BY res_id").execute().await().indefinitely())
                .extracting(r -> r.getString(0) + " " + r.getInteger(1) + " " + r.getString(2))
                .containsExactly("fv-p-1 1 A", "fv-p-2 1 B", "fv-p-3 1 C", "fv-p-5 1 E", "fv-p-held 1 Before");
        assertThat(parts.get(1).index(1)).isNotNull(); // the held id's index rows, for its versioned write
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

    /**
     * Resources of a few Synthea bundles as their files spell them, and edge cases of what the raw way
     * copies (decimals, dates, escapes, a narrative with entities, meta and id already set) or leaves to HAPI.
     */
    private static List<String> rawLines() throws IOException {
        List<String> out = new ArrayList<>(List.of(
                "{\"resourceType\":\"Observation\",\"id\":\"fv-dec\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                        + "\"valueQuantity\":{\"value\":1.50,\"unit\":\"mg\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg\"},"
                        + "\"effectiveDateTime\":\"2020-01-02T03:04:05.1+02:00\",\"issued\":\"2020-01-02T03:04:05.123Z\"}",
                "{\"resourceType\":\"Observation\",\"id\":\"fv-neg\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                        + "\"valueQuantity\":{\"value\":-0.000001},\"effectiveDateTime\":\"2020\"}",
                "{\"resourceType\":\"Patient\",\"id\":\"fv-esc\",\"meta\":{\"versionId\":\"9\",\"lastUpdated\":"
                        + "\"2001-01-01T00:00:00Z\",\"profile\":[\"http://example.org/p\"]},\"text\":{\"status\":\"generated\","
                        + "\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><p class='a'>A &amp; B &lt;c&gt; caf\u00e9</p>\\n <br/></div>\"},"
                        + "\"name\":[{\"family\":\"Sl\\/ash \\\"q\\\" back\\\\ tab\\t \u6f22\",\"given\":[\"A\"]}],\"birthDate\":\"1970-01\","
                        + "\"multipleBirthBoolean\":false}",
                "{\"resourceType\":\"Patient\",\"id\":\"fv-ext\",\"birthDate\":\"1970-01-01\",\"_birthDate\":{\"extension\":"
                        + "[{\"url\":\"http://hl7.org/fhir/StructureDefinition/patient-birthTime\",\"valueDateTime\":\"1970-01-01T10:00:00-05:00\"}]}}",
                "{\"resourceType\":\"Observation\",\"id\":\"fv-hist\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                        + "\"subject\":{\"reference\":\"Patient/fv-ext/_history/1\"}}",
                "{\"resourceType\":\"Observation\",\"id\":\"fv-cont\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                        + "\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p1\"}],\"subject\":{\"reference\":\"#p1\"}}",
                "{\"resourceType\":\"Patient\",\"id\":\"fv-empty\",\"name\":[{\"family\":\"E\",\"given\":[]}],\"address\":[{}]}"));
        Set<String> seen = new java.util.HashSet<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(SharedData.dir("synthea-100"))) {
            files = list.filter(f -> f.getFileName().toString().startsWith("patient-")).sorted().skip(8).limit(20).toList();
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Path f : files) {
            for (com.fasterxml.jackson.databind.JsonNode e : json.readTree(f.toFile()).get("entry")) {
                com.fasterxml.jackson.databind.JsonNode r = e.get("resource");
                if (seen.add(r.get("resourceType").asText() + "/" + r.get("id").asText())) {
                    out.add(r.toString());
                }
            }
        }
        return out;
    }

    /** Each line parsed as {@code $import} parses it (strict). */
    private static List<Resource> parsed(List<String> lines) {
        return lines.stream().map(l -> (Resource) FhirJson.strictJsonParser().parseResource(l)).toList();
    }

    private static List<Resource> copies(List<Resource> set) {
        return set.stream().map(Resource::copy).toList();
    }

    private static <T> List<List<T>> batches(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
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
            // the row key differs between write paths; what must hold is that it names the row's resource
            for (Row r : pool.query("SELECT (to_jsonb(t) - 'row_key')::text, t.row_key = x.row_key FROM " + table
                    + " t LEFT JOIN resource x USING (res_type, res_id)").execute().await().indefinitely()) {
                out.add(table + " " + r.getString(0) + " keyed to its resource: " + r.getBoolean(1));
            }
        }
        return out;
    }

    private static String withoutTime(String body) {
        return body.replaceAll("\"lastUpdated\": ?\"[^\"]*\"", "");
    }
}
