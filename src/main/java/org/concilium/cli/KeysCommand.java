package org.concilium.cli;

import java.nio.file.Path;
import java.util.List;
import org.concilium.federation.identity.SiteIdentity;

/**
 * {@code keys init --site ID [--dir DIR] [--fhir URL --network URL --peer URL]}: generates this
 * node's identity key and self-signed certificate and prints its descriptor entry.
 */
final class KeysCommand {

    private KeysCommand() {
    }

    static int run(String[] args) {
        Options o = Options.parse(args);
        if (o.positional().isEmpty() || !o.positional().get(0).equals("init") || !o.named().containsKey("site")) {
            System.err.println("usage: bin/concilium keys init --site ID [--dir DIR] [--name NAME] [--fhir URL]"
                    + " [--network URL] [--peer URL]");
            return 2;
        }
        String site = o.get("site", "");
        Path dir = Path.of(o.get("dir", "identity"));
        String peer = o.get("peer", "https://127.0.0.1:8443");
        // peers check the host name of the peer URL against this certificate (e.g. a Kubernetes Service name)
        String peerHost = java.net.URI.create(peer).getHost();
        SiteIdentity identity = SiteIdentity.generate(site, peerHost == null ? List.of() : List.of(peerHost));
        identity.writeTo(dir);
        var entry = identity.descriptorEntry(o.get("name", site), o.get("fhir", "http://127.0.0.1:8080/fhir"),
                o.get("network", "http://127.0.0.1:8080/network/fhir"), peer);
        try {
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(entry));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        System.err.println("identity of " + site + " written to " + dir.toAbsolutePath()
                + " (identity.key is private: mode 0600, never share it)");
        return 0;
    }
}
