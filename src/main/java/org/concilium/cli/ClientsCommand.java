package org.concilium.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.concilium.security.ClientKeys;
import org.concilium.security.ClientRegistration;
import org.concilium.security.ClientStore;
import org.concilium.security.ScopeSet;

/**
 * {@code clients add|list|remove --data DIR}: the site administrator's register of SMART Backend
 * Services clients, in the node's database. Works whether or not the node runs; a running node
 * sees the change at once.
 */
final class ClientsCommand {

    private static final String USAGE = """
            usage: bin/concilium clients add --data DIR --id ID --jwks FILE --scope "system/Patient.rs ..."
                   bin/concilium clients list --data DIR
                   bin/concilium clients remove --data DIR --id ID""";

    private ClientsCommand() {
    }

    static int run(String[] args) {
        Options o = Options.parse(args);
        String action = o.positional().isEmpty() ? "" : o.positional().get(0);
        Path data = Path.of(o.get("data", System.getProperty("concilium.data-dir", "data/node")));
        try {
            return switch (action) {
                case "add" -> add(data, o);
                case "list" -> list(data);
                case "remove" -> remove(data, o);
                default -> {
                    System.err.println(USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            System.err.println("clients: " + e.getMessage());
            return 2;
        }
    }

    private static int add(Path data, Options o) {
        if (!o.named().containsKey("id") || !o.named().containsKey("jwks") || !o.named().containsKey("scope")) {
            System.err.println(USAGE);
            return 2;
        }
        String jwks;
        try {
            jwks = Files.readString(Path.of(o.get("jwks", "")));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the JWKS file: " + e.getMessage());
        }
        ClientRegistration c = new ClientRegistration(o.get("id", ""), ClientKeys.parse(jwks),
                ScopeSet.parseStrict(o.get("scope", "")), Instant.now());
        if (c.scope().isEmpty()) {
            throw new IllegalArgumentException("--scope names no scope");
        }
        if (!register(data, c)) {
            System.err.println("clients: '" + c.clientId() + "' is registered already; remove it first to change it");
            return 1;
        }
        System.out.println("registered client " + c.clientId() + " with scope \"" + c.scope() + "\"");
        return 0;
    }

    /** Registers a client in the site database under {@code data}; false when its id is taken. */
    static boolean register(Path data, ClientRegistration c) {
        try (SiteDatabase db = SiteDatabase.open(data)) {
            return new ClientStore(db.pool()).add(c);
        }
    }

    private static int list(Path data) {
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

    private static int remove(Path data, Options o) {
        String id = o.get("id", "");
        try (SiteDatabase db = SiteDatabase.open(data)) {
            if (!new ClientStore(db.pool()).remove(id)) {
                System.err.println("clients: no client '" + id + "'");
                return 1;
            }
        }
        System.out.println("removed client " + id + "; its tokens stop working now");
        return 0;
    }
}
