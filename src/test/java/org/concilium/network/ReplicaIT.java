package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.concilium.network.NetworkFixture.PERIOD;
import static org.concilium.network.NetworkFixture.fhir;

import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.concilium.cli.NodeProcess;
import org.concilium.demo.DemoMeasures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of site-1 on one PostgreSQL beside site-2 and site-3. The second replica is
 * configured with the database password only inside its URL (as CloudNativePG's {@code uri} secret
 * has it), against a server that checks passwords. Both serve network queries; one is killed with
 * SIGKILL while it runs a query as entry node: the other replica, the site leader by then, aborts
 * that query once its lease lapsed (its status URL says ABORTED, no report), and the next query
 * through the survivor gives the same totals as before. Site-1's peer address (in the descriptor)
 * is the first replica's port; once it died a TCP forwarder takes that address over towards the
 * survivor, as the Kubernetes Service in front of the peer port does (an entry node also reaches its
 * own site through that address).
 */
class ReplicaIT {

    private static final String MEASURE = DemoMeasures.HYPERTENSION_CONTROL;
    private static final String LEASE = "PT4S";

    private static NetworkFixture net;
    private static TcpForwarder forwarder;

    @BeforeAll
    static void up() throws Exception {
        net = NetworkFixture.start(3, 40, List.of("--min-cell-size", "1", "--replica-lease", LEASE), false);
    }

    @AfterAll
    static void down() throws Exception {
        if (forwarder != null) {
            forwarder.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aReplicaKilledMidQueryLeavesTheSiteServingTheSameTotals() throws Exception {
        Map<String, Object> baseline = NetworkFixture.counts(query(net.sites.get(1).networkBase()).then()
                .statusCode(200).extract().jsonPath());
        assertThat(baseline).isNotEmpty();

        int port = postgresPort(net.dir.resolve("net/site-1/postgres"));
        requirePasswords(port);
        int secondPeer = NodeProcess.freePort();
        NodeProcess second = net.startReplica("site-1", "b", secondPeer, Map.of("QUARKUS_DATASOURCE_REACTIVE_URL",
                "postgresql://postgres:postgres@127.0.0.1:" + port + "/postgres"));
        String secondBase = second.baseUrl() + "/network/fhir";
        assertThat(NetworkFixture.counts(query(secondBase).then().statusCode(200).extract().jsonPath()))
                .as("the second replica, entry node on the shared database").isEqualTo(baseline);

        exportKickedOffOnOneReplicaIsServedByTheOther(net.sites.get(0).fhirBase(), second.baseUrl() + "/fhir");

        // a query entered at the first replica, which dies without a goodbye while it runs
        Response accepted = fhir().header("Prefer", "respond-async").get(net.sites.get(0).networkBase()
                + "/Measure/" + MEASURE + "/$evaluate-measure?" + PERIOD);
        assertThat(accepted.statusCode()).isEqualTo(202);
        ProcessHandle first = ProcessHandle.of(net.pid("site-1")).orElseThrow();
        first.destroyForcibly(); // SIGKILL
        first.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        String status = second.baseUrl() + accepted.header("Content-Location").replaceFirst("^https?://[^/]+", "");

        // the lease lapses; the survivor takes the leadership and aborts the orphan
        Response ended = NetworkFixture.poll(Duration.ofSeconds(90), "the killed replica's query to end", () -> {
            Response r = fhir().get(status);
            return r.statusCode() == 202 ? null : r;
        });
        assertThat(ended.statusCode()).as(ended.asString()).isEqualTo(503);
        assertThat(ended.asString()).contains("ABORTED").doesNotContain("MeasureReport");

        // the Service in front of site-1's peer port now reaches only the survivor
        forwarder = TcpForwarder.start(net.peerPort("site-1"), secondPeer);

        assertThat(NetworkFixture.counts(query(secondBase).then().statusCode(200).extract().jsonPath()))
                .as("the next query, through the surviving replica").isEqualTo(baseline);
        assertThat(Files.readString(net.dir.resolve("replica-b/node.log"))).contains("this replica is the site leader");
    }

    /**
     * Behind a load balancer a client's requests reach any replica: a Bulk Data export kicked off on
     * the first is polled and downloaded on the second (its files are in the shared database), and a
     * DELETE through the second removes it for both.
     */
    private static void exportKickedOffOnOneReplicaIsServedByTheOther(String first, String second) throws Exception {
        String status = fhir().header("Prefer", "respond-async").get(first + "/$export?_type=Patient,Observation")
                .then().statusCode(202).extract().header("Content-Location");
        String onSecond = second + status.substring(status.indexOf("/$export-status/"));
        Response done = NetworkFixture.poll(Duration.ofSeconds(60), "the export to finish", () -> {
            Response r = fhir().get(onSecond);
            return r.statusCode() == 202 ? null : r;
        });
        assertThat(done.statusCode()).as(done.asString()).isEqualTo(200);
        List<Map<String, Object>> outputs = done.jsonPath().getList("output");
        Map<String, Integer> exported = new java.util.TreeMap<>();
        for (Map<String, Object> output : outputs) {
            String url = (String) output.get("url");
            assertThat(url).startsWith(second);
            String ndjson = fhir().get(url).then().statusCode(200).extract().asString();
            int lines = ndjson.isEmpty() ? 0 : ndjson.split("\n").length;
            assertThat(lines).as(url).isEqualTo(((Number) output.get("count")).intValue());
            exported.merge((String) output.get("type"), lines, Integer::sum);
        }
        for (String type : List.of("Patient", "Observation")) {
            int stored = fhir().get(first + "/" + type + "?_summary=count").then().statusCode(200).extract().path("total");
            assertThat(exported.get(type)).as(type).isEqualTo(stored).isPositive();
        }
        fhir().delete(onSecond).then().statusCode(202);
        fhir().get(status).then().statusCode(404);
        fhir().get((String) outputs.get(0).get("url")).then().statusCode(404);
    }

    private static Response query(String networkBase) {
        return fhir().get(networkBase + "/Measure/" + MEASURE + "/$evaluate-measure?" + PERIOD);
    }

    /** The port in the embedded server's postmaster.pid (its fourth line). */
    private static int postgresPort(Path dataDir) throws Exception {
        return Integer.parseInt(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(3).strip());
    }

    /**
     * The embedded server trusts loopback connections; from now on it checks passwords over TCP
     * (scram-sha-256), so a replica without the password in its URL could not connect.
     */
    private static void requirePasswords(int port) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (var c = DriverManager.getConnection(url + "?user=postgres&password=postgres"); var st = c.createStatement()) {
            st.execute("SET password_encryption = 'scram-sha-256'");
            st.execute("ALTER ROLE postgres PASSWORD 'postgres'");
            Path hba = Path.of(query(st, "SHOW hba_file"));
            Files.writeString(hba, "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
                    + "host all all ::1/128 scram-sha-256\n");
            st.execute("SELECT pg_reload_conf()");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url + "?user=postgres&password=wrong").close())
                .as("the server checks passwords now").hasMessageContaining("password");
    }

    private static String query(java.sql.Statement st, String sql) throws Exception {
        try (var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
