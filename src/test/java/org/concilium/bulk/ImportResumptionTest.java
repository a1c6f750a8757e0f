package org.concilium.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.concilium.fhir.FhirTestBase;
import org.junit.jupiter.api.Test;

/**
 * Where a resumed import starts (the crash itself is LoadResumeIT's): the lines up to its checkpoint
 * are blanked, and so are the lines of the chunk then in flight that the store shows were committed
 * (written over HTTP here, as the import would have, after the job started); a line whose content
 * was already stored before the job started, and the lines after the last committed one, are kept.
 */
@QuarkusTest
class ImportResumptionTest extends FhirTestBase {

    @Inject
    BulkJobRepository repository;
    @Inject
    Pool pool;

    private static String observation(String id, String text) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\",\"code\":{\"text\":\""
                + text + "\"}}";
    }

    @Test
    void theCommittedLinesOfTheChunkInFlightAreNotAppliedAgain() throws Exception {
        String p = "ir-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String before = observation(p + "pre", "as stored before the job");
        fhir().body(before).put("/Observation/" + p + "pre").then().statusCode(201);
        Thread.sleep(5); // its lastUpdated is before the job's start
        String a1 = observation(p + "a", "first");
        String b = observation(p + "b", "b");
        String c = observation(p + "c", "c");
        String a2 = observation(p + "a", "second");
        String d = observation(p + "d", "d");
        Path dir = Files.createTempDirectory("import-resumption");
        Path input = dir.resolve("in.ndjson");
        Files.write(input, List.of(observation(p + "x", "x"), observation(p + "y", "y"), before, a1, b, c, a2, d));
        String id = UUID.randomUUID().toString();
        repository.started(id, BulkJob.Kind.IMPORT, "test", "http://test/$import", Instant.now(),
                ImportResumption.request(List.of(input), "test", "system/*.cruds"));
        try {
            // lines 1-2 committed (the checkpoint); of the chunk of 6 in flight, a1, b and c were committed
            for (String line : List.of(a1, b, c)) {
                String rid = line.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                fhir().body(line).put("/Observation/" + rid).then().statusCode(201);
            }
            repository.checkpoint(id, ImportResumption.checkpoint(2, 6, Map.of("Observation", 2L), 0, 0));
            ImportResumption.Plan plan = ImportResumption.plan(repository.live(id).orElseThrow(), dir, pool);

            assertThat(plan.inputs()).hasSize(1);
            assertThat(plan.inputs().get(0).getFileName().toString()).as("error messages name the input").isEqualTo("in.ndjson");
            assertThat(Files.readAllLines(plan.inputs().get(0)))
                    .as("committed lines blank, so line numbers stay").containsExactly("", "", before, "", "", "", a2, d);
            assertThat(plan.appliedInFlight()).isEqualTo(3);
            assertThat(plan.written()).containsEntry("Observation", 5L);
            assertThat(plan.client()).isEqualTo("test");
        } finally {
            repository.remove(id);
        }
    }
}
