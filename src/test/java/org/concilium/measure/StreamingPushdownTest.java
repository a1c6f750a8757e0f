package org.concilium.measure;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.concilium.store.BulkResourceLoader;
import org.concilium.store.DatabaseUrls;
import org.concilium.store.EmbeddedDatabase;
import org.concilium.store.PatientBatchReader;
import org.concilium.store.ResourceStore;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming evaluation from PostgreSQL with the retrieves' code filters pushed into SQL gives the
 * in-memory path's counts, group for group and stratum for stratum, over the ecqm-content-r4 test
 * patients (every case: numerator, denominator, exclusion, outside the population) of the three
 * eCQMs, in batches of 4 patients so that requirements learnt late widen what later batches fetch;
 * and it fetches fewer resources than the same evaluation with every type fetched whole.
 */
class StreamingPushdownTest {

    @TempDir
    static Path tmp;
    private static EmbeddedDatabase db;
    private static Vertx vertx;
    private static Pool pool;
    private static InMemoryClinicalData data;

    @BeforeAll
    static void load() {
        data = SharedData.load("ecqm-content-r4/input");
        db = EmbeddedDatabase.start(tmp.resolve("postgres"));
        org.flywaydb.core.Flyway.configure().dataSource(DatabaseUrls.jdbcFromReactive(db.reactiveUrl()), "postgres",
                "postgres").locations("classpath:db/migration").load().migrate();
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(db.reactiveUrl()).setUser("postgres")
                .setPassword("postgres")).with(new PoolOptions().setMaxSize(4)).using(vertx).build();
        new BulkResourceLoader(pool).insert(data.all().stream().map(Resource::copy).toList());
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

    @ParameterizedTest
    @ValueSource(strings = {"CervicalCancerScreeningFHIR", "BreastCancerScreeningFHIR", "ColorectalCancerScreeningsFHIR"})
    void pushedDownCodeFiltersGiveTheInMemoryCountsFromFewerRows(String measure) {
        EvaluateMeasureCommand command = EvaluateMeasureCommand.of("http://ecqi.healthit.gov/ecqms/Measure/" + measure,
                "2019-01-01", "2019-12-31", "population", null, null, null);
        MeasureReport inMemory;
        try (MeasureEvaluator evaluator = new MeasureEvaluator()) {
            inMemory = evaluator.evaluate(command, data);
        }
        assertThat(counts(inMemory).get("0.initial-population")).isPositive();

        Counting pushed = new Counting(false);
        Counting whole = new Counting(true);
        try (StreamingMeasureEvaluator streaming = new StreamingMeasureEvaluator(StreamingMeasureEvaluator.Options
                .defaults().withBatchSize(4))) {
            assertThat(counts(streaming.evaluate(command, pushed))).isEqualTo(counts(inMemory));
            assertThat(counts(streaming.evaluate(command, whole))).isEqualTo(counts(inMemory));
        }
        System.out.printf("%s: %d resources fetched with the code filters in SQL, %d with whole types%n", measure,
                pushed.rows.get(), whole.rows.get());
        assertThat(pushed.filtered.get()).as("some fetches carried code filters").isPositive();
        assertThat(pushed.rows.get()).isLessThan(whole.rows.get());
    }

    /** Every population count of every group and stratum. */
    private static Map<String, Integer> counts(MeasureReport report) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int g = 0; g < report.getGroup().size(); g++) {
            var group = report.getGroup().get(g);
            for (var p : group.getPopulation()) {
                out.put(g + "." + p.getCode().getCodingFirstRep().getCode(), p.getCount());
            }
            for (var s : group.getStratifier()) {
                for (var stratum : s.getStratum()) {
                    for (var p : stratum.getPopulation()) {
                        out.put(g + "." + s.getCodeFirstRep().getText() + "." + stratum.getValue().getText() + "."
                                + p.getCode().getCodingFirstRep().getCode(), p.getCount());
                    }
                }
            }
        }
        return out;
    }

    /** The store's batches, counting the resources they fetch; {@code whole}: every type fetched whole. */
    private static final class Counting implements PatientBatches {
        final StoredPatientBatches store = new StoredPatientBatches(new PatientBatchReader(pool), new ResourceStore(pool));
        final boolean whole;
        final AtomicLong rows = new AtomicLong();
        final AtomicLong filtered = new AtomicLong();

        Counting(boolean whole) {
            this.whole = whole;
        }

        @Override
        public ClinicalData knowledge() {
            return store.knowledge();
        }

        @Override
        public Batch next(String afterId, int size, Map<String, RetrieveNeeds.Need> needs) {
            Map<String, RetrieveNeeds.Need> asked = new HashMap<>(needs);
            if (whole) {
                asked.replaceAll((type, need) -> RetrieveNeeds.Need.ALL);
            }
            filtered.addAndGet(asked.values().stream().filter(n -> !n.all()).count());
            Batch b = store.next(afterId, size, asked);
            b.json().values().forEach(json -> rows.addAndGet(json.size()));
            return b;
        }

        @Override
        public List<String> about(String type, List<String> patientIds, RetrieveNeeds.Need need) {
            RetrieveNeeds.Need asked = whole ? RetrieveNeeds.Need.ALL : need;
            List<String> json = store.about(type, patientIds, asked);
            rows.addAndGet(json.size());
            return json;
        }
    }
}
