package org.concilium.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.concilium.federation.SiteReplica;
import org.concilium.fhir.FhirTestBase;
import org.concilium.testing.TestClient;
import org.junit.jupiter.api.Test;

/**
 * An export whose replica stopped while it ran (its row names another replica, whose lease lapsed)
 * is taken over by this replica within a third of the lease and run again: its status URL answers
 * 202 saying it was interrupted, then 200 with files holding every Patient once.
 */
@QuarkusTest
class ExportTakeOverTest extends FhirTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    BulkJobRepository repository;
    @Inject
    SiteReplica replica;
    @Inject
    Pool pool;

    @Test
    void anExportOfAReplicaThatStoppedIsTakenOverAndFinishes() throws Exception {
        String patient = "to-" + UUID.randomUUID();
        fhir().body("{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}").put("/Patient/" + patient).then()
                .statusCode(201);
        String id = UUID.randomUUID().toString();
        ExportRequest request = new ExportRequest(TestClient.ID, "http://gone/fhir/$export?_type=Patient",
                List.of("Patient"), null, null, Map.of());
        repository.started(id, BulkJob.Kind.EXPORT, TestClient.ID, request.requestUrl(), Instant.now(), request.toJson());
        pool.preparedQuery("UPDATE bulk_job SET replica = 'stopped-replica', lease_until = now() - interval '1 minute'"
                + " WHERE id = $1").execute(Tuple.of(id)).await().indefinitely();
        String status = "/$export-status/" + id;
        Response first = fhir().urlEncodingEnabled(false).get(status);
        if (first.statusCode() == 202) {
            // before this replica's next lease tick it waits; once taken over, it runs here
            assertThat(first.header("X-Progress")).containsAnyOf("interrupted (replica stopped-replica stopped)",
                    "queued", "exporting");
        }

        Response done = first;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (done.statusCode() == 202 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            done = fhir().urlEncodingEnabled(false).get(status);
        }
        assertThat(done.statusCode()).as(done.asString()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        int lines = 0;
        for (JsonNode output : JSON.readTree(done.asString()).path("output")) {
            String url = output.path("url").asText();
            String ndjson = fhir().accept("application/fhir+ndjson").urlEncodingEnabled(false)
                    .get(url.substring(url.indexOf("/fhir") + 5)).then().statusCode(200).extract().asString();
            for (String line : ndjson.split("\n")) {
                ids.add(JSON.readTree(line).path("id").asText());
                lines++;
            }
            assertThat(output.path("type").asText()).isEqualTo("Patient");
        }
        int stored = fhir().get("/Patient?_summary=count").then().statusCode(200).extract().path("total");
        assertThat(ids).contains(patient).hasSize(stored);
        assertThat(lines).isEqualTo(stored);
        BulkJob row = repository.live(id).orElseThrow();
        assertThat(row.replica()).isEqualTo(replica.id());
        assertThat(row.attempts()).isEqualTo(1);
        fhir().urlEncodingEnabled(false).delete(status).then().statusCode(202);
    }
}
