package org.concilium.cli;

import java.nio.file.Path;
import java.util.List;
import org.concilium.federation.identity.SiteIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keys}: this site's identity. */
@Command(name = "keys", description = "This site's identity key and certificate.")
final class KeysCommand {

    @Command(name = "init", sortOptions = false,
            description = "Generate the identity key + self-signed certificate; print the descriptor entry.")
    int init(@Option(names = "--site", required = true, paramLabel = "ID") String site,
            @Option(names = "--dir", defaultValue = "identity", paramLabel = "DIR") Path dir,
            @Option(names = "--name", paramLabel = "NAME", description = "display name (default: the id)") String name,
            @Option(names = "--fhir", defaultValue = "http://127.0.0.1:8080/fhir", paramLabel = "URL") String fhir,
            @Option(names = "--network", defaultValue = "http://127.0.0.1:8080/network/fhir", paramLabel = "URL")
            String network,
            @Option(names = "--peer", defaultValue = "https://127.0.0.1:8443", paramLabel = "URL") String peer)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        // peers check the host name of the peer URL against this certificate (e.g. a Kubernetes Service name)
        String peerHost = java.net.URI.create(peer).getHost();
        SiteIdentity identity = SiteIdentity.generate(site, peerHost == null ? List.of() : List.of(peerHost));
        identity.writeTo(dir);
        var entry = identity.descriptorEntry(name != null ? name : site, fhir, network, peer);
        System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(entry));
        System.err.println("identity of " + site + " written to " + dir.toAbsolutePath()
                + " (identity.key is private: mode 0600, never share it)");
        return 0;
    }
}
