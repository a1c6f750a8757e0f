package org.concilium.network;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.concilium.cli.NodeProcess;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.store.EmbeddedDatabase;

/**
 * A network whose key ceremony has not run: identities and descriptor for N sites, real nodes
 * (own processes, embedded databases, mutual TLS) for all but the {@code absent} ones, whose real
 * identities the test uses to play them through the peer API. No data, no measures.
 */
final class CeremonyFixture implements AutoCloseable {

    final Path dir;
    final NetworkDescriptor descriptor;
    final Map<String, SiteIdentity> identities = new LinkedHashMap<>();
    final Map<String, NodeProcess> nodes = new LinkedHashMap<>();

    private CeremonyFixture(Path dir, NetworkDescriptor descriptor) {
        this.dir = dir;
        this.descriptor = descriptor;
    }

    static CeremonyFixture start(int n, Set<String> absent) throws IOException {
        Path dir = Files.createTempDirectory("concilium-ceremony-it");
        List<NetworkDescriptor.Site> entries = new ArrayList<>();
        List<int[]> ports = new ArrayList<>();
        Map<String, SiteIdentity> ids = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            String id = "site-" + i;
            int http = NodeProcess.freePort();
            int peer = NodeProcess.freePort();
            ports.add(new int[] {http, peer});
            SiteIdentity identity = SiteIdentity.generate(id);
            identity.writeTo(dir.resolve(id).resolve("identity"));
            ids.put(id, identity);
            entries.add(identity.descriptorEntry("Hospital " + i, "http://127.0.0.1:" + http + "/fhir",
                    "http://127.0.0.1:" + http + "/network/fhir", "https://127.0.0.1:" + peer));
        }
        Path descriptorFile = dir.resolve("descriptor.json");
        NetworkDescriptor descriptor = new NetworkDescriptor("ceremony-it-" + Long.toHexString(System.nanoTime()), 1,
                entries);
        descriptor.write(descriptorFile);
        CeremonyFixture f = new CeremonyFixture(dir, descriptor);
        f.identities.putAll(ids);
        for (int i = 0; i < n; i++) {
            String id = entries.get(i).id();
            if (absent.contains(id)) {
                continue;
            }
            Path siteDir = dir.resolve(id);
            f.nodes.put(id, NodeProcess.start(ports.get(i)[0], siteDir, List.of("--site", id, "--network",
                    descriptorFile.toString(), "--identity", siteDir.resolve("identity").toString(), "--peer-port",
                    Integer.toString(ports.get(i)[1]), "--kek", siteDir.resolve("kek").toString())));
        }
        // as LocalNetwork: a node can take minutes to start on a loaded 2-core machine (CI runs several at once)
        try {
            f.nodes.values().forEach(p -> awaitLive(p, Duration.ofMinutes(8)));
        } catch (RuntimeException e) {
            f.close(); // a node that never came up must not leave the others running
            throw e;
        }
        return f;
    }

    String peerUrl(String siteId) {
        return descriptor.site(siteId).orElseThrow().peerUrl();
    }

    /** The readiness document of a running site (503 while the key is not agreed). */
    String readiness(String siteId) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(nodes.get(siteId).baseUrl()
                + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    String log(String siteId) throws IOException {
        return Files.readString(dir.resolve(siteId).resolve("node.log"));
    }

    private static void awaitLive(NodeProcess p, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(p.baseUrl() + "/q/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new IllegalStateException("node " + p.baseUrl() + " not live within " + timeout);
    }

    @Override
    public void close() {
        nodes.values().forEach(NodeProcess::close);
        nodes.keySet().forEach(id -> EmbeddedDatabase.stopOrphan(dir.resolve(id).resolve("postgres")));
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.toString().endsWith(".log"))
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not clean " + dir + ": " + e.getMessage());
        }
    }
}
