package org.concilium.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.concilium.demo.SyntheticPopulation;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;
import org.concilium.store.EmbeddedDatabase;
import org.concilium.testing.BearerTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node killed with SIGKILL while {@code bin/concilium load} sends it transactions, restarted, and
 * loaded again with {@code --resume}: every transaction acknowledged before the kill is there whole,
 * none is there in part, the resumed load skips what the journal lists, and at the end every
 * patient of the source is stored exactly once with all of its resources.
 */
class LoadResumeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PATIENTS = 150;
    /** Journal lines dropped after the kill, as if the loader had died before writing them. */
    private static final int LOST_ACKS = 3;
    private static final int PER_BUNDLE = 3;
    private static final BearerTokens TOKENS = new BearerTokens(origin -> null);

    private Path dir;
    private NodeProcess node;

    @AfterEach
    void down() throws IOException {
        if (node != null) {
            node.close();
        }
        if (dir != null) {
            EmbeddedDatabase.stopOrphan(dir.resolve("node").resolve("postgres"));
            // the database and the data are large; the node log stays for a failed test's reader
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.toString().endsWith(".log"))
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aNodeKilledDuringLoadKeepsWhatItAcknowledgedAndResumeCompletesIt() throws Exception {
        dir = Files.createTempDirectory("concilium-load-resume");
        Path data = dir.resolve("data");
        Path nodeDir = dir.resolve("node");
        Path journal = dir.resolve("load.journal");
        List<Path> files = SyntheticPopulation.writeBundles(data, 7, 0, PATIENTS, PER_BUNDLE);
        Source source = Source.read(files);

        int port = NodeProcess.freePort();
        ClientKey key = LocalAdmin.key(dir);
        node = NodeProcess.start(port, nodeDir, List.of()).awaitReady(Duration.ofMinutes(3));
        LocalAdmin.register(nodeDir, key);
        String fhir = node.baseUrl() + "/fhir";
        base = fhir;
        List<String> load = List.of("load", data.toString(), "--url", fhir, "--concurrency", "2",
                "--client-id", LocalAdmin.CLIENT_ID, "--key", dir.resolve("local-admin.private.jwk").toString(),
                "--scope", LocalAdmin.SCOPE, "--journal", journal.toString());

        // the first load, killed under it once a quarter of the transactions are acknowledged
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> run(load));
        waitForLines(journal, files.size() / 4, first);
        assertThat(first).as("the load was still sending when the node was killed").isNotDone();
        long pid = node.pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        assertThat(node.awaitExit(Duration.ofSeconds(60))).isEqualTo(137);
        assertThat(first.get(5, TimeUnit.MINUTES)).as("a load that lost its node fails").isEqualTo(1);
        Set<String> acknowledged = acknowledgedSources(journal);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(files.size() / 4).hasSizeLessThan(files.size());
        // the loader too may die between an acknowledgement and its journal line: those transactions
        // landed, --resume sends them again, and only their idempotency keys keep them from doubling
        List<String> lines = Files.readAllLines(journal);
        Files.write(journal, lines.subList(0, lines.size() - LOST_ACKS));

        node = NodeProcess.start(port, nodeDir, List.of()).awaitReady(Duration.ofMinutes(3));
        TOKENS.register(node.baseUrl(), LocalAdmin.tokens(fhir, key)); // a restarted node issues new tokens
        Stored afterCrash = Stored.read(source.types());
        afterCrash.assertNoPatientTwice();
        int landed = 0;
        for (Path f : files) {
            Map<String, Map<String, Integer>> expected = source.byBundle.get(f.toString());
            boolean whole = afterCrash.holdsAll(expected);
            if (acknowledged.contains(f.toString())) {
                assertThat(whole).as("acknowledged " + f.getFileName() + " is stored whole").isTrue();
            } else {
                assertThat(whole || afterCrash.holdsNone(expected)).as(f.getFileName() + " is all or nothing").isTrue();
            }
            landed += whole ? 1 : 0;
        }

        // the resumed load skips the journal's transactions and the node does not write twice what landed unacknowledged
        int inDoubt = landed - acknowledged.size();
        assertThat(run(Stream.concat(load.stream(), Stream.of("--resume")).toList())).isZero();
        Stored after = Stored.read(source.types());
        after.assertNoPatientTwice();
        assertThat(after.versions).as("every resource written once: replays wrote nothing").containsOnly("1");
        assertThat(after.byPatient).isEqualTo(source.byPatient());
        assertThat(after.totals()).isEqualTo(source.totals());
        assertThat(acknowledgedSources(journal)).hasSize(files.size());
        bulkJobsOutliveARestart(port, nodeDir, key);
        System.out.printf("LOAD-RESUME {\"transactions\":%d,\"resources\":%d,\"acknowledgedBeforeKill\":%d,"
                + "\"landedUnacknowledged\":%d,\"journalLinesDropped\":%d}%n", files.size(), source.totals().values()
                .stream().mapToInt(Integer::intValue).sum(), acknowledged.size(), inDoubt, LOST_ACKS);
    }

    private static int run(List<String> args) {
        return ConciliumCommand.commandLine().execute(args.toArray(String[]::new));
    }

    private static void waitForLines(Path journal, int lines, CompletableFuture<Integer> load) throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!Files.exists(journal) || Files.readAllLines(journal).size() < lines) {
            assertThat(load).as("the load ended before the kill").isNotDone();
            assertThat(System.nanoTime()).as("the load acknowledges transactions").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** The source files the journal lists as acknowledged (journal lines: key resources source). */
    private static Set<String> acknowledgedSources(Path journal) throws IOException {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(journal)) {
            out.add(line.split(" ", 3)[2]);
        }
        return out;
    }

    /**
     * Bulk Data jobs are kept in the database (issue 11): after a graceful restart a finished export's
     * status URL answers the same manifest and its files are still served. A job running when the node
     * is SIGKILLed resumes after the restart: an import goes on from its last checkpoint and ends with
     * every line stored exactly once (version 1, one history row); an export starts over and its
     * manifest's files hold exactly the store's resources. The export's files are stored in chunks of
     * 8 KB here, so that it is still running when the node is killed.
     */
    private void bulkJobsOutliveARestart(int port, Path nodeDir, ClientKey key) throws Exception {
        Map<String, String> env = Map.of("CONCILIUM_BULK_CHUNK_BYTES", "8192");
        String exportStatus = kickOff(fhir().header("Prefer", "respond-async").get(base + "/$export?_type=Patient"));
        String manifest = awaitDone(exportStatus);
        JsonNode outputs = JSON.readTree(manifest).path("output");
        node.close();
        node = NodeProcess.start(port, nodeDir, List.of(), env).awaitReady(Duration.ofMinutes(3));
        TOKENS.register(node.baseUrl(), LocalAdmin.tokens(base, key));
        String after = fhir().get(exportStatus).then().statusCode(200).extract().asString();
        assertThat(JSON.readTree(after)).as("the same manifest after the restart").isEqualTo(JSON.readTree(manifest));
        assertThat(downloaded(outputs).get("Patient")).hasSize(PATIENTS);

        // an import killed in flight resumes and writes every line once
        int cut = 20_000;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < cut; i++) {
            lines.append("{\"resourceType\":\"Observation\",\"id\":\"cut-").append(i).append("\",\"status\":\"final\",")
                    .append("\"code\":{\"text\":\"cut off\"}}\n");
        }
        String importStatus = kickOff(fhir().contentType("application/fhir+ndjson").header("Prefer", "respond-async")
                .body(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).post(base + "/$import"));
        awaitProgress(importStatus, " lines read", 2_000);
        killAndRestart(port, nodeDir, key, env);
        JsonNode imported = JSON.readTree(awaitDone(importStatus));
        assertThat(imported.path("output").get(0).path("count").asInt()).as(imported.toString()).isEqualTo(cut);
        try (var db = database(nodeDir); var st = db.createStatement();
                var rs = st.executeQuery("SELECT count(*), max(version), (SELECT count(*) FROM resource_history h"
                        + " WHERE h.res_type = 'Observation' AND h.res_id LIKE 'cut-%') FROM resource"
                        + " WHERE res_type = 'Observation' AND res_id LIKE 'cut-%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("every line stored").isEqualTo(cut);
            assertThat(rs.getInt(2)).as("none written twice").isEqualTo(1);
            assertThat(rs.getInt(3)).as("one history row each").isEqualTo(cut);
        }

        // an export killed in flight starts over and its files hold the store's resources exactly
        String running = kickOff(fhir().header("Prefer", "respond-async")
                .get(base + "/$export?_type=Patient,Observation"));
        String job = running.substring(running.lastIndexOf('/') + 1);
        try (var db = database(nodeDir)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (scalar(db, "SELECT count(*) FROM bulk_file_chunk WHERE job_id = '" + job + "'") < 3) {
                assertThat(System.nanoTime()).as("the export writes chunks").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(scalar(db, "SELECT count(*) FROM bulk_job WHERE id = '" + job + "' AND state = 'RUNNING'"))
                    .as("the export is in flight when the node is killed").isEqualTo(1);
        }
        killAndRestart(port, nodeDir, key, env);
        JsonNode resumed = JSON.readTree(awaitDone(running));
        Map<String, Set<String>> files = downloaded(resumed.path("output"));
        try (var db = database(nodeDir)) {
            for (String type : List.of("Patient", "Observation")) {
                assertThat(files.get(type)).as(type + " exported exactly").hasSize((int) scalar(db,
                        "SELECT count(*) FROM resource WHERE res_type = '" + type + "' AND NOT deleted"));
            }
            assertThat(scalar(db, "SELECT attempts FROM bulk_job WHERE id = '" + job + "'")).isEqualTo(1);
        }
        assertThat(files.get("Observation")).contains("cut-0", "cut-" + (cut - 1));
        fhir().get(exportStatus).then().statusCode(200);
    }

    /** The ids in every file of a manifest's output, per type; each file holds as many lines as its count, no id twice. */
    private static Map<String, Set<String>> downloaded(JsonNode outputs) throws IOException {
        Map<String, Set<String>> ids = new TreeMap<>();
        for (JsonNode output : outputs) {
            String ndjson = fhir().get(output.path("url").asText()).then().statusCode(200).extract().asString();
            String[] rows = ndjson.isEmpty() ? new String[0] : ndjson.split("\n");
            assertThat(rows.length).as(output.path("url").asText()).isEqualTo(output.path("count").asInt());
            for (String row : rows) {
                JsonNode r = JSON.readTree(row);
                assertThat(ids.computeIfAbsent(r.path("resourceType").asText(), t -> new HashSet<>())
                        .add(r.path("id").asText())).as("exported once: " + r.path("id").asText()).isTrue();
            }
        }
        return ids;
    }

    private void killAndRestart(int port, Path nodeDir, ClientKey key, Map<String, String> env) {
        ProcessHandle.of(node.pid()).orElseThrow().destroyForcibly();
        assertThat(node.awaitExit(Duration.ofSeconds(60))).isEqualTo(137);
        node = NodeProcess.start(port, nodeDir, List.of(), env).awaitReady(Duration.ofMinutes(3));
        TOKENS.register(node.baseUrl(), LocalAdmin.tokens(base, key));
    }

    /** Waits until the status URL's X-Progress counts at least {@code min} before {@code what}. */
    private static void awaitProgress(String status, String what, long min) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            io.restassured.response.Response r = fhir().get(status);
            assertThat(r.statusCode()).as("still running").isEqualTo(202);
            String progress = r.header("X-Progress");
            int at = progress == null ? -1 : progress.indexOf(what);
            if (at > 0 && Long.parseLong(progress.substring(0, at).replaceAll(".*\\D", "")) >= min) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the job did not progress");
    }

    private static java.sql.Connection database(Path nodeDir) throws Exception {
        int port = Integer.parseInt(Files.readAllLines(nodeDir.resolve("postgres/postmaster.pid")).get(3).strip());
        return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
    }

    private static long scalar(java.sql.Connection db, String sql) throws Exception {
        try (var st = db.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String kickOff(io.restassured.response.Response response) {
        return response.then().statusCode(202).extract().header("Content-Location");
    }

    private static String awaitDone(String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            io.restassured.response.Response r = fhir().get(status);
            if (r.statusCode() == 200) {
                return r.asString();
            }
            assertThat(r.statusCode()).isEqualTo(202);
            Thread.sleep(100);
        }
        throw new AssertionError("the export did not finish");
    }

    private static RequestSpecification fhir() {
        return RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").filter(TOKENS);
    }

    /** Per patient (by MRN) and resource type, how many resources the source holds; also per bundle file. */
    private record Source(Map<String, Map<String, Map<String, Integer>>> byBundle) {

        static Source read(List<Path> files) throws IOException {
            Map<String, Map<String, Map<String, Integer>>> byBundle = new HashMap<>();
            for (Path f : files) {
                JsonNode bundle = JSON.readTree(f.toFile());
                Map<String, String> mrnByUrl = new HashMap<>();
                for (JsonNode e : bundle.path("entry")) {
                    if (e.path("resource").path("resourceType").asText().equals("Patient")) {
                        mrnByUrl.put(e.path("fullUrl").asText(), mrn(e.path("resource")));
                    }
                }
                Map<String, Map<String, Integer>> patients = new TreeMap<>();
                for (JsonNode e : bundle.path("entry")) {
                    JsonNode r = e.path("resource");
                    String type = r.path("resourceType").asText();
                    String mrn = type.equals("Patient") ? mrn(r) : mrnByUrl.get(r.path("subject").path("reference").asText());
                    assertThat(mrn).as("every generated resource belongs to a patient of its bundle").isNotNull();
                    patients.computeIfAbsent(mrn, m -> new TreeMap<>()).merge(type, 1, Integer::sum);
                }
                byBundle.put(f.toString(), patients);
            }
            return new Source(byBundle);
        }

        Map<String, Map<String, Integer>> byPatient() {
            Map<String, Map<String, Integer>> out = new TreeMap<>();
            byBundle.values().forEach(out::putAll);
            return out;
        }

        Set<String> types() {
            Set<String> out = new HashSet<>();
            byBundle.values().forEach(p -> p.values().forEach(t -> out.addAll(t.keySet())));
            return out;
        }

        Map<String, Integer> totals() {
            return Stored.totals(byPatient());
        }
    }

    /** What the node holds, read over its FHIR API: per patient MRN and type, how many resources. */
    private record Stored(Map<String, Map<String, Integer>> byPatient, List<String> mrns, Set<String> versions) {

        static Stored read(Set<String> types) {
            Map<String, String> mrnById = new HashMap<>();
            List<String> mrns = new ArrayList<>();
            Set<String> versions = new HashSet<>();
            for (JsonPath page : pages("Patient")) {
                versions.addAll(page.getList("entry.resource.meta.versionId"));
                List<Map<String, Object>> entries = page.getList("entry.resource");
                for (int i = 0; i < entries.size(); i++) {
                    String mrn = page.getString("entry[" + i + "].resource.identifier[0].value");
                    mrnById.put("Patient/" + page.getString("entry[" + i + "].resource.id"), mrn);
                    mrns.add(mrn);
                }
            }
            Map<String, Map<String, Integer>> byPatient = new TreeMap<>();
            mrnById.values().forEach(m -> byPatient.computeIfAbsent(m, x -> new TreeMap<>()).merge("Patient", 1,
                    Integer::sum));
            for (String type : types) {
                if (type.equals("Patient")) {
                    continue;
                }
                for (JsonPath page : pages(type)) {
                    versions.addAll(page.getList("entry.resource.meta.versionId"));
                    for (String subject : page.<String>getList("entry.resource.subject.reference")) {
                        String mrn = mrnById.get(subject);
                        assertThat(mrn).as(type + " refers to a stored patient: " + subject).isNotNull();
                        byPatient.get(mrn).merge(type, 1, Integer::sum);
                    }
                }
            }
            return new Stored(byPatient, mrns, versions);
        }

        /** Every page of a search for all resources of {@code type}. */
        private static List<JsonPath> pages(String type) {
            List<JsonPath> out = new ArrayList<>();
            JsonPath page = JsonPath.from(fhir().get(base() + "/" + type + "?_count=500").then().statusCode(200)
                    .extract().asString());
            while (true) {
                out.add(page);
                String next = page.getString("link.find { it.relation == 'next' }.url");
                if (next == null) {
                    return out;
                }
                page = JsonPath.from(fhir().get(next).then().statusCode(200).extract().asString());
            }
        }

        void assertNoPatientTwice() {
            assertThat(new HashSet<>(mrns)).as("no patient stored twice").hasSize(mrns.size());
        }

        boolean holdsAll(Map<String, Map<String, Integer>> bundle) {
            return bundle.entrySet().stream().allMatch(e -> e.getValue().equals(byPatient.get(e.getKey())));
        }

        boolean holdsNone(Map<String, Map<String, Integer>> bundle) {
            return bundle.keySet().stream().noneMatch(byPatient::containsKey);
        }

        Map<String, Integer> totals() {
            return totals(byPatient);
        }

        static Map<String, Integer> totals(Map<String, Map<String, Integer>> byPatient) {
            Map<String, Integer> out = new TreeMap<>();
            byPatient.values().forEach(t -> t.forEach((type, n) -> out.merge(type, n, Integer::sum)));
            return out;
        }
    }

    /** The node's FHIR base (the restarted node listens on the same port). */
    private static String base;

    private static String base() {
        return base;
    }

    private static String mrn(JsonNode patient) {
        return patient.path("identifier").path(0).path("value").asText();
    }
}
