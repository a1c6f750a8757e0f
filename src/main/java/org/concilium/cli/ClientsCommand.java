package org.concilium.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.concilium.security.ClientKeys;
import org.concilium.security.ClientRegistration;
import org.concilium.security.ClientStore;
import org.concilium.security.ScopeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code clients add|list|remove --data DIR}: the site administrator's register of SMART Backend
 * Services clients, in the node's database. Works whether or not the node runs; a running node
 * sees the change at once.
 */
@Command(name = "clients", description = "SMART Backend Services clients of this site (node running or not).")
final class ClientsCommand {

    @Command(name = "add", sortOptions = false, description = "Register a client: its public JWKS and its scopes.")
    int add(@Option(names = "--data", defaultValue = "data/node", paramLabel = "DIR") Path data,
            @Option(names = "--id", required = true, paramLabel = "ID") String id,
            @Option(names = "--jwks", required = true, paramLabel = "FILE",
                    description = "the client's public keys (RS384: RSA >= 2048 bits; ES384: EC P-384)") Path jwks,
            @Option(names = "--scope", required = true, paramLabel = "SCOPES",
                    description = "e.g. \"system/Patient.rs system/Observation.rs concilium/network.query\"")
            String scope) {
        ClientRegistration c;
        try {
            c = new ClientRegistration(id, ClientKeys.parse(Files.readString(jwks)), ScopeSet.parseStrict(scope),
                    Instant.now());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("clients add: " + e.getMessage());
            return 2;
        }
        if (c.scope().isEmpty()) {
            System.err.println("clients add: --scope names no scope");
            return 2;
        }
        if (!register(data, c)) {
            System.err.println("clients add: '" + id + "' is registered already; remove it first to change it");
            return 1;
        }
        System.out.println("registered client " + id + " with scope \"" + c.scope() + "\"");
        return 0;
    }

    @Command(name = "list", description = "The registered clients.")
    int list(@Option(names = "--data", defaultValue = "data/node", paramLabel = "DIR") Path data) {
        try (SiteDatabase db = SiteDatabase.open(data)) {
            var clients = new ClientStore(db.pool()).list();
            if (clients.isEmpty()) {
                System.out.println("no clients registered");
            }
            for (ClientRegistration c : clients) {
                System.out.printf("%-24s %s  keys: %d  scope: %s%n", c.clientId(), c.registeredAt(),
                        c.publicKeys().getKeys().size(), c.scope());
            }
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a client; its tokens stop working at once.")
    int remove(@Option(names = "--data", defaultValue = "data/node", paramLabel = "DIR") Path data,
            @Option(names = "--id", required = true, paramLabel = "ID") String id) {
        try (SiteDatabase db = SiteDatabase.open(data)) {
            if (!new ClientStore(db.pool()).remove(id)) {
                System.err.println("clients remove: no client '" + id + "'");
                return 1;
            }
        }
        System.out.println("removed client " + id + "; its tokens stop working now");
        return 0;
    }

    @Command(name = "keygen", description = "A client key pair: NAME.private.jwk (the client keeps it) and"
            + " NAME.jwks.json (what the site registers).")
    int keygen(@Option(names = "--name", required = true, paramLabel = "NAME") String name,
            @Option(names = "--dir", defaultValue = ".", paramLabel = "DIR") Path dir) {
        org.concilium.security.client.ClientKey.generate().write(dir, name);
        System.out.println("wrote " + dir.resolve(name + ".private.jwk") + " (private, mode 0600) and "
                + dir.resolve(name + ".jwks.json") + " (public: give it to the site)");
        return 0;
    }

    /** Registers a client in the site database under {@code data}; false when its id is taken. */
    static boolean register(Path data, ClientRegistration c) {
        try (SiteDatabase db = SiteDatabase.open(data)) {
            return new ClientStore(db.pool()).add(c);
        }
    }
}
