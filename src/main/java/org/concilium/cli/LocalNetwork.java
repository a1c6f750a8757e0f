package org.concilium.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.privacy.NetworkPrivacyPolicy;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;

/**
 * N nodes on loopback as background processes, each with its own embedded PostgreSQL, identity,
 * key-encryption key and data folder under DIR; described by DIR/network.json. One admin client
 * ({@link LocalAdmin}, key in DIR/admin) is registered on every site.
 */
public final class LocalNetwork {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A loaded 2-core machine has been seen to take 5 minutes to start a node. */
    private static final Duration READY_WITHIN = Duration.ofMinutes(8);
    private static final int PORT_RACE_ATTEMPTS = 3;

    /** One running site as written to network.json. */
    public record Site(String id, String fhirBase, String networkBase, String peerUrl, long pid) {
    }

    private LocalNetwork() {
    }

    /** Creates identities and the descriptor, starts every node and waits until the network is ready. */

    public static List<Site> up(Path dir, int sites, List<String> extraArgs) {
        // ports are picked free and then bound by another process, so another program can take one in between
        for (int attempt = 1; ; attempt++) {
            try {
                return upOnce(dir, sites, extraArgs);
            } catch (NodeProcess.NodeExited e) {
                if (!e.portTaken() || attempt == PORT_RACE_ATTEMPTS) {
                    throw e;
                }
                clearSites(dir, sites);
            }
        }
    }

    /** Nothing was stored yet: the site folders (identities, PostgreSQL) of a network that did not come up go. */
    private static void clearSites(Path dir, int sites) {
        for (int i = 1; i <= sites; i++) {
            deleteTree(dir.resolve("site-" + i));
        }
    }

    private static List<Site> upOnce(Path dir, int sites, List<String> extraArgs) {
        try {
            Files.createDirectories(dir);
            String networkId = "concilium-local-" + Long.toHexString(System.nanoTime() & 0xffffff);
            List<NetworkDescriptor.Site> entries = new ArrayList<>();
            List<int[]> ports = new ArrayList<>();
            for (int i = 1; i <= sites; i++) {
                String id = "site-" + i;
                int http = NodeProcess.freePort();
                int peer = NodeProcess.freePort();
                ports.add(new int[] {http, peer});
                SiteIdentity identity = SiteIdentity.generate(id);
                identity.writeTo(dir.resolve(id).resolve("identity"));
                entries.add(identity.descriptorEntry("Hospital " + i, "http://127.0.0.1:" + http + "/fhir",
                        "http://127.0.0.1:" + http + "/network/fhir", "https://127.0.0.1:" + peer));
            }
            Path descriptor = dir.resolve("descriptor.json");
            List<String> nodeArgs = new ArrayList<>(extraArgs);
            new NetworkDescriptor(networkId, 1, entries, privacyPolicy(nodeArgs)).write(descriptor);
            List<NodeProcess> nodes = new ArrayList<>();
            for (int i = 0; i < sites; i++) {
                Path siteDir = dir.resolve(entries.get(i).id());
                List<String> args = new ArrayList<>(List.of("--site", entries.get(i).id(), "--network",
                        descriptor.toAbsolutePath().toString(), "--identity", siteDir.resolve("identity").toString(),
                        "--peer-port", Integer.toString(ports.get(i)[1]), "--kek", siteDir.resolve("kek").toString()));
                args.addAll(nodeArgs);
                args.add(0, Integer.toString(ports.get(i)[0]));
                Files.writeString(siteDir.resolve("args"), String.join("\n", args));
                nodes.add(NodeProcess.start(ports.get(i)[0], siteDir, args.subList(1, args.size())));
            }
            List<Site> out = new ArrayList<>();
            ClientKey admin = LocalAdmin.key(dir.resolve("admin"));
            try {
                NodeProcess.awaitAllReady(nodes, READY_WITHIN);
                for (int i = 0; i < sites; i++) {
                    NetworkDescriptor.Site e = entries.get(i);
                    LocalAdmin.register(dir.resolve(e.id()), admin);
                    out.add(new Site(e.id(), e.fhirBase(), e.networkBase(), e.peerUrl(), nodes.get(i).pid()));
                }
            } catch (RuntimeException notReady) {
                // leave no node (nor its PostgreSQL) running behind a network that did not come up
                nodes.forEach(NodeProcess::close);
                throw notReady;
            }
            write(dir, networkId, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The network's privacy policy from {@code --min-cell-size K}, {@code --epsilon E},
     * {@code --delta D} and {@code --epsilon-budget B} (removed from {@code args}): it goes into the
     * descriptor, which every site reads, instead of into each node's own options.
     */
    static NetworkPrivacyPolicy privacyPolicy(List<String> args) {
        NetworkPrivacyPolicy d = NetworkPrivacyPolicy.DEFAULT;
        int k = Integer.parseInt(take(args, "--min-cell-size", Integer.toString(d.minCellSize())));
        double epsilon = Double.parseDouble(take(args, "--epsilon", "0"));
        double delta = Double.parseDouble(take(args, "--delta", Double.toString(d.delta())));
        double budget = Double.parseDouble(take(args, "--epsilon-budget", Double.toString(d.budgetPerQuerier())));
        return new NetworkPrivacyPolicy(k, epsilon, delta, budget);
    }

    private static String take(List<String> args, String option, String otherwise) {
        int i = args.indexOf(option);
        if (i < 0 || i + 1 >= args.size()) {
            return otherwise;
        }
        String value = args.get(i + 1);
        args.subList(i, i + 2).clear();
        return value;
    }

    /** Tokens of the admin client at one site of the network in DIR (its FHIR and network bases alike). */
    public static AccessTokenSource tokens(Path dir, Site site) {
        return LocalAdmin.tokens(site.fhirBase(), LocalAdmin.key(dir.resolve("admin")));
    }

    /** Starts one stopped site again with the arguments it was first started with, plus {@code extraArgs}. */
    public static NodeProcess restart(Path dir, String siteId, String... extraArgs) {
        try {
            List<String> args = new ArrayList<>(Files.readAllLines(dir.resolve(siteId).resolve("args")));
            args.addAll(List.of(extraArgs));
            return NodeProcess.start(Integer.parseInt(args.get(0)), dir.resolve(siteId), args.subList(1, args.size()))
                    .awaitReady(READY_WITHIN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every node of DIR/network.json and waits for them to exit. */
    public static int down(Path dir) {
        int stopped = 0;
        for (Site s : read(dir)) {
            Optional<ProcessHandle> p = ProcessHandle.of(s.pid());
            if (p.isPresent()) {
                p.get().destroy();
                try {
                    p.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.get().destroyForcibly();
                }
                stopped++;
            }
        }
        return stopped;
    }

    /** Stops the network in DIR, if one runs there, and deletes DIR with all its data (throwaway networks). */
    public static void remove(Path dir) {
        if (Files.exists(dir.resolve("network.json"))) {
            down(dir);
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static List<Site> read(Path dir) {
        try {
            JsonNode root = JSON.readTree(dir.resolve("network.json").toFile());
            List<Site> out = new ArrayList<>();
            root.path("sites").forEach(s -> out.add(new Site(s.path("id").asText(), s.path("fhirBase").asText(),
                    s.path("networkBase").asText(), s.path("peerUrl").asText(), s.path("pid").asLong())));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("no running network described in " + dir, e);
        }
    }

    private static void write(Path dir, String networkId, List<Site> sites) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("networkId", networkId);
        ArrayNode arr = root.putArray("sites");
        for (Site s : sites) {
            arr.addObject().put("id", s.id()).put("fhirBase", s.fhirBase()).put("networkBase", s.networkBase())
                    .put("peerUrl", s.peerUrl()).put("pid", s.pid());
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("network.json").toFile(), root);
    }
}
