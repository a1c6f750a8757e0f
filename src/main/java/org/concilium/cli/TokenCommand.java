package org.concilium.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code token}: prints an access token for a registered client (what an EHR's integration does on
 * its own), for trying the API by hand with curl.
 */
@Command(name = "token", sortOptions = false, description = "Print an access token for a registered client.")
final class TokenCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080/fhir", paramLabel = "URL",
            description = "the node's FHIR base (default ${DEFAULT-VALUE})")
    String url;
    @Option(names = "--client-id", required = true, paramLabel = "ID")
    String clientId;
    @Option(names = "--key", required = true, paramLabel = "FILE", description = "the client's private JWK")
    Path key;
    @Option(names = "--scope", defaultValue = LocalAdmin.SCOPE, paramLabel = "SCOPES",
            description = "scopes to ask for (default ${DEFAULT-VALUE})")
    String scope;
    @Option(names = "--assertion-only", description = "print the signed client assertion instead (to POST it yourself)")
    boolean assertionOnly;

    @Override
    public Integer call() {
        try {
            AccessTokenSource source = new AccessTokenSource(url, clientId, ClientKey.read(key), scope);
            System.out.println(assertionOnly ? source.assertion() : source.token());
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("token: " + e.getMessage());
            return 1;
        }
    }
}
