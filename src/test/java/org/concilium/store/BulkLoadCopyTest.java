package org.concilium.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The COPY path of {@link BulkResourceLoader} writes exactly the rows the unnest path writes — the
 * resource row and every search-index table — including text COPY must escape (tab, newline,
 * carriage return, backslash, non-ASCII) and null columns; so a store filled by COPY is searched
 * and evaluated as one filled by the API.
 */
class BulkLoadCopyTest {

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

    @Test
    void copyWritesTheRowsUnnestWrites() {
        new BulkResourceLoader(pool).insert(resources());
        List<String> byUnnest = rows();
        assertThat(byUnnest).anyMatch(r -> r.startsWith("idx_quantity")).anyMatch(r -> r.startsWith("idx_date"))
                .anyMatch(r -> r.startsWith("idx_composite"))
                .anyMatch(r -> r.startsWith("idx_string") && r.contains("tab\\there")); // a tab, as JSON escapes it
        clear();

        BulkResourceLoader copying = new BulkResourceLoader(pool, jdbc);
        assertThat(copying.copies()).isTrue();
        copying.insert(resources());
        assertThat(rows()).containsExactlyInAnyOrderElementsOf(byUnnest);
    }

    /** A patient whose text needs COPY escapes, and resources that fill every kind of index row. */
    private static List<Resource> resources() {
        Patient p = new Patient();
        p.setId("p-1");
        p.addName().setFamily("Back\\slash tab\there").addGiven("new\nline\r\u00e9\u6f22");
        p.setGender(Enumerations.AdministrativeGender.FEMALE);
        p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1960-04-02"));
        p.addIdentifier().setSystem("urn:mrn").setValue("\\N");
        Encounter e = new Encounter();
        e.setId("e-1");
        e.setStatus(Encounter.EncounterStatus.FINISHED);
        e.setSubject(new Reference("Patient/p-1"));
        e.addType(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding("http://snomed.info/sct", "185349003", null)));
        e.setPeriod(new Period().setStartElement(new DateTimeType("2019-01-01T00:00:00Z"))
                .setEndElement(new DateTimeType("2019-01-01T01:00:00Z")));
        Observation o = new Observation();
        o.setId("o-1");
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setSubject(new Reference("Patient/p-1"));
        o.setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding("http://loinc.org", "8302-2", "Height")));
        o.setValue(new Quantity().setValue(170.5).setSystem("http://unitsofmeasure.org").setCode("cm").setUnit("cm"));
        o.setEffective(new DateTimeType("2019-03-04"));
        Condition c = new Condition();
        c.setId("c-1");
        c.setSubject(new Reference("Patient/p-1"));
        c.setCode(new CodeableConcept().setText("no coding, text only"));
        return List.of(p, e, o, c);
    }

    /** Every row of the resource and index tables, as text, without the load time. */
    private static List<String> rows() {
        List<String> out = new ArrayList<>();
        for (Row r : pool.query("SELECT res_type, res_id, version, deleted, body::text, subject, index_layout"
                + " FROM resource").execute().await().indefinitely()) {
            out.add("resource " + r.getString(0) + "/" + r.getString(1) + " v" + r.getInteger(2) + " " + r.getBoolean(3)
                    + " " + r.getString(5) + " " + r.getInteger(6) + " " + r.getString(4).replaceAll("\"lastUpdated\": ?\"[^\"]*\"", ""));
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

    private static void clear() {
        pool.query("TRUNCATE resource, " + String.join(", ", TABLES) + " CASCADE").execute().await().indefinitely();
    }
}
