package org.concilium.cli;

import java.nio.file.Path;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;

/**
 * {@code token --url FHIR_BASE --client-id ID --key PRIVATE_JWK [--scope S]}: prints an access token
 * for a registered client (what an EHR's integration does on its own, for trying the API by hand).
 */
final class TokenCommand {

    private TokenCommand() {
    }

    static int run(String[] args) {
        Options o = Options.parse(args);
        if (!o.named().containsKey("client-id") || !o.named().containsKey("key")) {
            System.err.println("usage: bin/concilium token --url http://127.0.0.1:8080/fhir --client-id ID"
                    + " --key FILE.private.jwk [--scope \"system/*.rs\"]");
            return 2;
        }
        AccessTokenSource tokens = new AccessTokenSource(o.get("url", "http://127.0.0.1:8080/fhir"),
                o.get("client-id", ""), ClientKey.read(Path.of(o.get("key", ""))), o.get("scope", LocalAdmin.SCOPE));
        try {
            System.out.println(tokens.token());
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("token: " + e.getMessage());
            return 1;
        }
    }
}
