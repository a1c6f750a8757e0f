package org.concilium.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.concilium.fhir.FhirTestBase;
import org.junit.jupiter.api.Test;

/**
 * The reactive client caches each statement on its connection; PostgreSQL would plan a cached
 * statement generically (blind to its values) from the sixth run on, and the generic plan of a
 * multi-filter search read every code row once per match (docs/search.md, "The 3-filter
 * regression"). Every run on the store's pool must be planned with its values.
 */
@QuarkusTest
class CustomPlansTest extends FhirTestBase {

    private static final String STATEMENT = "SELECT count(*) FROM resource r WHERE r.res_type = $1 AND r.res_id = ANY($2)"
            + " AND NOT r.deleted";

    @Inject
    Pool pool;

    @Test
    void aCachedStatementIsPlannedWithItsValuesEveryTime() {
        Row plans = pool.withConnection(c -> {
            io.smallrye.mutiny.Uni<?> runs = io.smallrye.mutiny.Uni.createFrom().voidItem();
            for (int i = 0; i < 8; i++) {
                String[] ids = {"custom-plans-" + i};
                runs = runs.flatMap(x -> c.preparedQuery(STATEMENT).execute(Tuple.of("Observation", ids)));
            }
            return runs.flatMap(x -> c.preparedQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                    + " WHERE statement = $1").execute(Tuple.of(STATEMENT))).map(rows -> rows.iterator().next());
        }).await().atMost(Duration.ofSeconds(30));
        assertEquals(0L, plans.getLong("generic_plans"), "generic plans of the cached statement");
        assertEquals(8L, plans.getLong("custom_plans"), "runs planned with their values");
    }
}
