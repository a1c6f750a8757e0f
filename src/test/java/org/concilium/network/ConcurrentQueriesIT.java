package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.concilium.network.NetworkFixture.fhir;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.concilium.demo.DemoMeasures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Many network queries at once on a 3-site network: different measures and periods, through every
 * entry node. Each gives the report it gives when run alone, every entry node stores one report per
 * query it ran, and a node past its in-flight limit answers 503 with Retry-After instead of queueing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConcurrentQueriesIT {

    private static final List<String> PERIODS = List.of("periodStart=2024-01-01&periodEnd=2024-12-31",
            "periodStart=2024-01-01&periodEnd=2024-06-30", "periodStart=2024-07-01&periodEnd=2024-12-31",
            "periodStart=2023-01-01&periodEnd=2023-12-31", "periodStart=2023-01-01&periodEnd=2024-12-31",
            "periodStart=2024-04-01&periodEnd=2024-09-30");
    private static NetworkFixture net;

    @BeforeAll
    static void up() throws Exception {
        net = NetworkFixture.start(3, 40, List.of("--min-cell-size", "1"), false);
    }

    @AfterAll
    static void down() {
        if (net != null) {
            net.close();
        }
    }

    private record Ask(String measure, String period, int entry) {
        String url() {
            return net.sites.get(entry).networkBase() + "/Measure/" + measure + "/$evaluate-measure?" + period;
        }
    }

    @Test
    @Order(1)
    void twentyFourQueriesAtOnceThroughThreeEntryNodesGiveTheirOneByOneResults() throws Exception {
        List<Ask> asks = new ArrayList<>();
        int n = 0;
        for (String measure : DemoMeasures.IDS) {
            for (String period : PERIODS) {
                asks.add(new Ask(measure, period, n++ % net.sites.size()));
            }
        }
        assertThat(asks).hasSizeGreaterThanOrEqualTo(20);
        Map<Ask, Map<String, Object>> alone = new LinkedHashMap<>();
        List<Long> aloneMillis = new ArrayList<>();
        for (Ask a : asks) {
            long t = System.nanoTime();
            alone.put(a, NetworkFixture.counts(JsonPath.from(fhir().get(a.url()).then().statusCode(200).extract()
                    .asString())));
            aloneMillis.add((System.nanoTime() - t) / 1_000_000);
        }
        List<Integer> reportsBefore = reportsPerEntry();

        ExecutorService pool = Executors.newFixedThreadPool(asks.size());
        List<Long> concurrentMillis = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> answers = new ArrayList<>();
            List<Future<Long>> times = new ArrayList<>();
            for (Ask a : asks) {
                var f = pool.submit(() -> {
                    start.await();
                    long t = System.nanoTime();
                    Response r = fhir().get(a.url());
                    return new Object[] {r, (System.nanoTime() - t) / 1_000_000};
                });
                answers.add(pool.submit(() -> (Response) f.get()[0]));
                times.add(pool.submit(() -> (Long) f.get()[1]));
            }
            start.countDown();
            for (int i = 0; i < asks.size(); i++) {
                Response r = answers.get(i).get();
                Ask a = asks.get(i);
                assertThat(r.statusCode()).as(a + " " + r.asString()).isEqualTo(200);
                assertThat(NetworkFixture.counts(JsonPath.from(r.asString()))).as(a.toString())
                        .isEqualTo(alone.get(a)).isNotEmpty();
                concurrentMillis.add(times.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<Integer> reportsAfter = reportsPerEntry();
        for (int e = 0; e < net.sites.size(); e++) {
            int entry = e;
            long ran = asks.stream().filter(a -> a.entry() == entry).count();
            assertThat(reportsAfter.get(e) - reportsBefore.get(e)).as("reports stored by entry " + e)
                    .isEqualTo((int) ran);
        }
        System.out.println("CONCURRENT {\"queries\":" + asks.size() + ",\"entryNodes\":" + net.sites.size()
                + ",\"aloneMs\":" + stats(aloneMillis) + ",\"concurrentMs\":" + stats(concurrentMillis) + "}");
    }

    @Test
    @Order(2)
    void aNodePastItsInFlightLimitAnswers503WithRetryAfter() throws Exception {
        String site = net.sites.get(2).id();
        net.stop(site);
        net.restart(site, "--max-queries-in-flight", "1");
        String url = net.sites.get(2).networkBase() + "/Measure/" + DemoMeasures.DIABETES_COHORT
                + "/$evaluate-measure?" + PERIODS.get(0);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Response> answers = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return fhir().get(url);
                }));
            }
            start.countDown();
            for (Future<Response> f : futures) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
        // refused at once by the limit: 503, Retry-After, an OperationOutcome naming the limit
        List<Response> busy = answers.stream().filter(r -> r.statusCode() == 503 && r.header("Retry-After") != null
                && r.asString().contains("limit of 1")).toList();
        assertThat(busy).as(statuses.toString()).hasSizeGreaterThanOrEqualTo(4);
        busy.forEach(r -> assertThat(r.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome"));
        // the admitted query ran (on this loaded machine it may itself fail closed, but never 500)
        assertThat(statuses).as(statuses.toString()).allMatch(s -> s == 200 || s == 503 || s == 504);
        // the limit frees up: one query alone goes through again
        fhir().get(url).then().statusCode(200);
    }

    private static List<Integer> reportsPerEntry() {
        List<Integer> out = new ArrayList<>();
        for (var site : net.sites) {
            out.add(fhir().get(site.networkBase() + "/MeasureReport?_summary=count").then().statusCode(200)
                    .extract().path("total"));
        }
        return out;
    }

    private static String stats(List<Long> millis) {
        List<Long> s = millis.stream().sorted().toList();
        return "{\"p50\":" + s.get(s.size() / 2) + ",\"p95\":" + s.get((int) Math.ceil(s.size() * 0.95) - 1)
                + ",\"max\":" + s.get(s.size() - 1) + "}";
    }
}
