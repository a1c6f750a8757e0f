package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Writers racing for one resource: one wins each race, the others get a clean answer, never a 500. */
@QuarkusTest
class ConcurrentWriteTest extends FhirTestBase {

    private static final int WRITERS = 16;

    @Test
    void sixteenPutsCreatingOneNewIdGiveOneCreateAndFifteenUpdates() throws Exception {
        String id = "race-" + UUID.randomUUID();
        List<Response> answers = race(i -> fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + id
                + "\",\"gender\":\"" + (i % 2 == 0 ? "female" : "male") + "\"}").put("/Patient/" + id));
        List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
        assertThat(statuses).as("statuses").allMatch(s -> s == 200 || s == 201);
        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        // every acknowledged write is one version: 1..16, no gaps, no duplicates
        fhir().get("/Patient/" + id).then().statusCode(200).header("ETag", "W/\"" + WRITERS + "\"");
        List<String> versions = fhir().get("/Patient/" + id + "/_history").then().statusCode(200).extract()
                .path("entry.resource.meta.versionId");
        assertThat(versions).hasSize(WRITERS).doesNotHaveDuplicates();
    }

    @Test
    void sixteenConditionalCreatesWithTheSameCriteriaMakeExactlyOneResource() throws Exception {
        String value = UUID.randomUUID().toString();
        List<Response> answers = race(i -> fhir().header("If-None-Exist", "identifier=urn:race|" + value)
                .body("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:race\",\"value\":\"" + value
                        + "\"}]}").post("/Patient"));
        List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
        assertThat(statuses).as("statuses").allMatch(s -> s == 200 || s == 201);
        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        assertThat(answers.stream().map(r -> r.jsonPath().getString("id")).distinct()).hasSize(1);
        fhir().get("/Patient?identifier=urn:race|" + value + "&_summary=count").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void conditionalEntriesOfConcurrentTransactionsMakeExactlyOneResource() throws Exception {
        String value = UUID.randomUUID().toString();
        List<Response> answers = race(i -> fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
                + "\"entry\":[{\"fullUrl\":\"urn:uuid:" + UUID.randomUUID() + "\",\"resource\":{\"resourceType\":"
                + "\"Practitioner\",\"identifier\":[{\"system\":\"urn:npi\",\"value\":\"" + value + "\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Practitioner\",\"ifNoneExist\":\"identifier=urn:npi|"
                + value + "\"}}]}").post(""));
        assertThat(answers.stream().map(Response::statusCode)).allMatch(s -> s == 200);
        fhir().get("/Practitioner?identifier=urn:npi|" + value + "&_summary=count").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void sixteenIfMatchUpdatesOfOneVersionLetExactlyOneWinAndTheRestGet412() throws Exception {
        String id = "ifmatch-" + UUID.randomUUID();
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}").put("/Patient/" + id).then()
                .statusCode(201);
        List<Response> answers = race(i -> fhir().header("If-Match", "W/\"1\"").body("{\"resourceType\":\"Patient\","
                + "\"id\":\"" + id + "\",\"birthDate\":\"2000-01-" + String.format("%02d", i + 1) + "\"}")
                .put("/Patient/" + id));
        List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
        assertThat(statuses.stream().filter(s -> s == 200)).as(statuses.toString()).hasSize(1);
        assertThat(statuses.stream().filter(s -> s == 412)).as(statuses.toString()).hasSize(WRITERS - 1);
        answers.stream().filter(r -> r.statusCode() == 412).forEach(r ->
                assertThat(r.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome"));
        String winner = answers.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow().jsonPath()
                .getString("birthDate");
        fhir().get("/Patient/" + id).then().statusCode(200).header("ETag", "W/\"2\"")
                .body("birthDate", org.hamcrest.Matchers.equalTo(winner));
    }

    /** Starts every request at once (a latch) and returns the answers in order. */
    private static List<Response> race(IntFunction<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.apply(n);
                }));
            }
            start.countDown();
            List<Response> out = new ArrayList<>();
            for (Future<Response> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
