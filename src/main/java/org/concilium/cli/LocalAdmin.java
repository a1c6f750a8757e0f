package org.concilium.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.concilium.security.ClientKeys;
import org.concilium.security.ClientRegistration;
import org.concilium.security.ScopeSet;
import org.concilium.security.client.AccessTokenSource;
import org.concilium.security.client.ClientKey;

/**
 * The client our own tooling uses on nodes it starts itself (local networks, the demo, benches,
 * tests): one key pair kept in a folder, registered on each node as {@value #CLIENT_ID} with every
 * scope. A real site registers its own clients with {@code clients add}.
 */
public final class LocalAdmin {

    public static final String CLIENT_ID = "local-admin";
    public static final String SCOPE = "system/*.cruds concilium/network.query concilium/network.publish";
    private static final String NAME = "local-admin";

    private LocalAdmin() {
    }

    /** The key in {@code dir}, generated there on first use. */
    public static ClientKey key(Path dir) {
        Path file = dir.resolve(NAME + ".private.jwk");
        if (Files.exists(file)) {
            return ClientKey.read(file);
        }
        ClientKey key = ClientKey.generate();
        key.write(dir, NAME);
        return key;
    }

    /** Registers the admin client in the database of the site whose data folder is {@code siteData} (if not yet). */
    public static void register(Path siteData, ClientKey key) {
        ClientsCommand.register(siteData, new ClientRegistration(CLIENT_ID, ClientKeys.parse(key.publicJwks()),
                ScopeSet.parseStrict(SCOPE), Instant.now()));
    }

    /** Tokens for the admin client at the node serving {@code fhirBase}. */
    public static AccessTokenSource tokens(String fhirBase, ClientKey key) {
        return new AccessTokenSource(fhirBase, CLIENT_ID, key, SCOPE);
    }

    /** How a person gets a token as this client, for the console. */
    public static String howToGetAToken(Path keyDir, String fhirBase) {
        return "  token: bin/concilium token --url " + fhirBase + " --client-id " + CLIENT_ID + " --key "
                + keyDir.resolve(NAME + ".private.jwk") + "\n"
                + "  then:  curl -H \"Authorization: Bearer $TOKEN\" " + fhirBase + "/Patient?_count=1";
    }
}
