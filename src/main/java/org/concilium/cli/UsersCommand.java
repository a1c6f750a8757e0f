package org.concilium.cli;

import java.io.Console;
import java.nio.file.Path;
import org.concilium.ui.PasswordHash;
import org.concilium.ui.UiRole;
import org.concilium.ui.UiUser;
import org.concilium.ui.UiUserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code users add|remove --data DIR}: the people who may sign in to the dashboard at /ui, in the
 * node's database (only a PBKDF2 hash of the password is kept). Works whether or not the node runs.
 */
@Command(name = "users", description = "People who sign in to the dashboard at /ui (node running or not).")
final class UsersCommand {

    @Command(name = "add", sortOptions = false, description = "Add a user, or reset the role and password of one.")
    int add(@Option(names = "--data", defaultValue = "data/node", paramLabel = "DIR") Path data,
            @Option(names = "--name", required = true, paramLabel = "NAME") String name,
            @Option(names = "--role", required = true, paramLabel = "ROLE",
                    description = "querier | publisher | site-staff") String role,
            @Option(names = "--password", paramLabel = "PASSWORD",
                    description = "else read from CONCILIUM_UI_PASSWORD or asked on the console") String password) {
        if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
            System.err.println("users add: --name must be 1-64 of A-Z a-z 0-9 . _ @ -");
            return 2;
        }
        UiRole r = UiRole.of(role).orElse(null);
        if (r == null) {
            System.err.println("users add: --role must be querier, publisher or site-staff");
            return 2;
        }
        String pw = password != null ? password : System.getenv("CONCILIUM_UI_PASSWORD");
        Console console = System.console();
        if (pw == null && console != null) {
            char[] typed = console.readPassword("password for %s: ", name);
            pw = typed == null ? null : new String(typed);
        }
        if (pw == null || pw.length() < 8) {
            System.err.println("users add: a password of at least 8 characters is needed");
            return 2;
        }
        add(data, new UiUser(name, r, PasswordHash.hash(pw)));
        System.out.println("user " + name + " (" + r.label() + ") may sign in at /ui");
        return 0;
    }

    @Command(name = "remove", description = "Remove a user (their open sessions end with the node's restart or expiry).")
    int remove(@Option(names = "--data", defaultValue = "data/node", paramLabel = "DIR") Path data,
            @Option(names = "--name", required = true, paramLabel = "NAME") String name) {
        try (SiteDatabase db = SiteDatabase.open(data)) {
            if (!new UiUserStore(db.pool()).remove(name)) {
                System.err.println("users remove: no user '" + name + "'");
                return 1;
            }
        }
        System.out.println("removed user " + name);
        return 0;
    }

    static void add(Path data, UiUser user) {
        try (SiteDatabase db = SiteDatabase.open(data)) {
            new UiUserStore(db.pool()).put(user);
        }
    }
}
