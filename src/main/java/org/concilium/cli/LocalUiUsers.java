package org.concilium.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.concilium.ui.PasswordHash;
import org.concilium.ui.UiRole;
import org.concilium.ui.UiUser;

/**
 * The dashboard users of a local network (demo, {@code network up}): {@value #QUALITY} (a querier)
 * and {@value #STAFF} (site staff) on every site, one random password written to
 * DIR/ui-password so that the console can show it.
 */
public final class LocalUiUsers {

    public static final String QUALITY = "quality";
    public static final String STAFF = "staff";

    private LocalUiUsers() {
    }

    /** Creates the users on every site and returns their password. */
    public static String create(Path dir, List<LocalNetwork.Site> sites) {
        byte[] b = new byte[9];
        new SecureRandom().nextBytes(b);
        String password = HexFormat.of().formatHex(b);
        String quality = PasswordHash.hash(password);
        String staff = PasswordHash.hash(password);
        for (LocalNetwork.Site s : sites) {
            UsersCommand.add(dir.resolve(s.id()), new UiUser(QUALITY, UiRole.QUERIER, quality));
            UsersCommand.add(dir.resolve(s.id()), new UiUser(STAFF, UiRole.SITE_STAFF, staff));
        }
        try {
            Files.writeString(dir.resolve("ui-password"), password + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return password;
    }

    /** The console lines telling a person where to sign in. */
    public static String howToSignIn(LocalNetwork.Site site, String password) {
        String ui = site.fhirBase().replaceFirst("/fhir$", "/ui/");
        return "Dashboard: " + ui + "\n  sign in as '" + QUALITY + "' (network queries) or '" + STAFF
                + "' (this site only), password " + password;
    }
}
