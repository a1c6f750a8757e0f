package org.concilium.bulk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a cut-off {@code $import} goes on. After each chunk it commits, the import records a
 * checkpoint (lines committed or failed so far, the counts, the error file's length, the size of the
 * chunk in flight). Resuming, the lines up to the checkpoint are not read again: the input is given
 * again with them blanked (blank lines are skipped, and the line numbers in error messages stay
 * those of the original file). The chunk that was in flight may have been committed in part; for
 * each id among its lines, when the stored current version was written after the job started and
 * equals (meta aside) one of that id's lines in the chunk, that line and the id's earlier lines in
 * the chunk were applied and are blanked too, so no committed line is applied twice. Lines without
 * an id in that one chunk cannot be recognised and may be created again (docs/search.md).
 */
public final class ImportResumption {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a resumed import runs: its inputs (blanked where applied), the counts it restarts from. */
    public record Plan(List<Path> inputs, long linesBefore, Map<String, Long> written, long failed, long errorBytes,
            String client, String scope, long committed, int appliedInFlight) {
    }

    private ImportResumption() {
    }

    /** The row's request: the inputs (absolute paths on this replica) and who asked, with the scopes they held. */
    public static String request(List<Path> inputs, String client, String scope) {
        ObjectNode n = JSON.createObjectNode();
        inputs.forEach(p -> n.withArray("inputs").add(p.toAbsolutePath().toString()));
        n.put("client", client).put("scope", scope);
        return n.toString();
    }

    public static String checkpoint(long lines, int inFlight, Map<String, Long> written, long failed, long errorBytes) {
        ObjectNode n = JSON.createObjectNode().put("lines", lines).put("inFlight", inFlight).put("failed", failed)
                .put("errorBytes", errorBytes);
        written.forEach((type, count) -> n.with("written").put(type, count));
        return n.toString();
    }

    public static Plan plan(BulkJob job, Path dir, Pool pool) throws IOException {
        JsonNode request = JSON.readTree(job.request());
        JsonNode cp = job.checkpoint() == null ? JSON.createObjectNode() : JSON.readTree(job.checkpoint());
        long committed = cp.path("lines").asLong(0);
        long windowEnd = committed + cp.path("inFlight").asLong(0);
        Map<String, Long> written = new TreeMap<>(cp.has("written") ? JSON.convertValue(cp.get("written"),
                new TypeReference<Map<String, Long>>() { }) : Map.of());
        List<Path> inputs = new ArrayList<>();
        long before = 0;
        int appliedInFlight = 0;
        long first = 0; // global number of the line before the file's first
        Path resumed = dir.resolve("resume-" + job.attempts());
        for (JsonNode p : request.path("inputs")) {
            Path input = Path.of(p.asText());
            long lines = count(input);
            if (first + lines <= committed) {
                before += lines; // wholly committed: not read again
            } else if (first < windowEnd) {
                Set<Long> applied = applied(input, first, committed, windowEnd, job, pool, written);
                appliedInFlight += applied.size();
                Files.createDirectories(resumed);
                Path copy = resumed.resolve(input.getFileName().toString());
                blank(input, copy, first, committed, applied);
                inputs.add(copy);
            } else {
                inputs.add(input);
            }
            first += lines;
        }
        return new Plan(inputs, before, written, cp.path("failed").asLong(0), cp.path("errorBytes").asLong(0),
                request.path("client").asText(), request.path("scope").asText(), committed, appliedInFlight);
    }

    private static long count(Path input) throws IOException {
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            while (in.readLine() != null) {
                n++;
            }
        }
        return n;
    }

    /** Writes the input with its committed lines (≤ committed) and the applied ones blank. */
    private static void blank(Path input, Path copy, long first, long committed, Set<Long> applied) throws IOException {
        try (BufferedReader in = reader(input); BufferedWriter out = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
            long number = first;
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                if (number > committed && !applied.contains(number)) {
                    out.write(line);
                }
                out.write('\n');
            }
        }
    }

    private static BufferedReader reader(Path input) throws IOException {
        return new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(input), StandardCharsets.UTF_8),
                1 << 16);
    }

    /** The lines of the chunk in flight (committed, windowEnd] found applied; their count goes to {@code written}. */
    private static Set<Long> applied(Path input, long first, long committed, long windowEnd, BulkJob job, Pool pool,
            Map<String, Long> written) throws IOException {
        Map<String, List<Map.Entry<Long, JsonNode>>> byId = new LinkedHashMap<>();
        try (BufferedReader in = reader(input)) {
            long number = first;
            String line;
            while ((line = in.readLine()) != null && number < windowEnd) {
                number++;
                if (number <= committed || line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode r = JSON.readTree(line);
                    if (r.hasNonNull("resourceType") && r.hasNonNull("id")) {
                        byId.computeIfAbsent(r.get("resourceType").asText() + "/" + r.get("id").asText(),
                                k -> new ArrayList<>()).add(Map.entry(number, r));
                    }
                } catch (JsonProcessingException e) {
                    // a line that does not parse failed before and fails again
                }
            }
        }
        Set<Long> applied = new HashSet<>();
        for (var e : byId.entrySet()) {
            String[] key = e.getKey().split("/", 2);
            RowSet<Row> rows = pool.preparedQuery("SELECT body::text AS body, last_updated FROM resource"
                    + " WHERE res_type = $1 AND res_id = $2 AND NOT deleted").execute(Tuple.of(key[0], key[1]))
                    .await().atMost(Duration.ofMinutes(1));
            if (rows.size() == 0) {
                continue;
            }
            Row row = rows.iterator().next();
            if (row.getOffsetDateTime("last_updated").isBefore(job.transactionTime().atOffset(java.time.ZoneOffset.UTC))) {
                continue; // not written by this job
            }
            JsonNode stored = withoutVersionMeta(JSON.readTree(row.getString("body")));
            List<Map.Entry<Long, JsonNode>> lines = e.getValue();
            for (int j = lines.size() - 1; j >= 0; j--) {
                if (withoutVersionMeta(lines.get(j).getValue()).equals(stored)) {
                    for (int i = 0; i <= j; i++) {
                        applied.add(lines.get(i).getKey());
                        written.merge(key[0], 1L, Long::sum);
                    }
                    break;
                }
            }
        }
        return applied;
    }

    private static JsonNode withoutVersionMeta(JsonNode resource) {
        ObjectNode copy = resource.deepCopy();
        if (copy.get("meta") instanceof ObjectNode meta) {
            meta.remove("versionId");
            meta.remove("lastUpdated");
            if (meta.isEmpty()) {
                copy.remove("meta");
            }
        }
        return copy;
    }
}
