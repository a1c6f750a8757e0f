package org.concilium.federation.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.concilium.federation.NetworkQueryRepository;
import org.concilium.federation.QueryState;
import org.concilium.fhir.FhirTestBase;
import org.junit.jupiter.api.Test;

/** The entry node's released reports on the real database (jsonb through Hibernate Reactive). */
@QuarkusTest
class NetworkReportRepositoryTest extends FhirTestBase {

    @Inject
    NetworkReportRepository reports;
    @Inject
    NetworkQueryRepository queries;

    @Test
    void aReportIsStoredWithItsQueryDoneAndFoundByMeasureNewestFirst() throws InterruptedException {
        String measure = "http://example.org/Measure/report-" + System.nanoTime();
        String first = "q-" + System.nanoTime();
        String second = first + "-b";
        for (String q : new String[] {first, second}) {
            queries.createQuery("entry:" + q, "ENTRY", "site-1", measure, new byte[] {1});
            queries.setState("entry:" + q, QueryState.SHARE_RELEASED, null);
            reports.save("entry:" + q, q, measure, "{\"resourceType\":\"MeasureReport\",\"id\":\"" + q + "\"}");
        }
        assertThat(queries.query("entry:" + first).orElseThrow().state()).isEqualTo(QueryState.DONE);
        assertThat(reports.report(first).orElseThrow()).contains("\"id\": \"" + first + "\"");
        assertThat(reports.report("no-such-" + first)).isEmpty();
        assertThat(reports.reports(measure, 10)).hasSize(2);
        assertThat(reports.reports(measure, 1)).hasSize(1);
        assertThat(reports.reports(null, 1000)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(reports.reports(measure + "-other", 10)).isEmpty();
    }
}
