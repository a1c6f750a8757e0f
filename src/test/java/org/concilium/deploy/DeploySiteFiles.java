package org.concilium.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SiteIdentity;

/**
 * What an operator puts beside the committed manifests before applying them (identities, KEKs, the
 * descriptor, the database URI), made for real in a copy of {@code deploy/}: git never holds them.
 */
final class DeploySiteFiles {

    private DeploySiteFiles() {
    }

    static Path copyOfDeploy(Path into) {
        Path source = Path.of("deploy").toAbsolutePath();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path target = into.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target); else Files.copy(p, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return into;
    }

    /** Writes {@code secretsDir/kek} and the identity files; returns the site's descriptor entry. */
    static NetworkDescriptor.Site site(Path secretsDir, String siteId, String peerHost, String fhirHost) {
        try {
            Files.createDirectories(secretsDir);
            byte[] kek = new byte[32];
            new SecureRandom().nextBytes(kek);
            Files.write(secretsDir.resolve("kek"), kek);
            SiteIdentity id = SiteIdentity.generate(siteId, List.of(peerHost));
            id.writeTo(secretsDir);
            return id.descriptorEntry("Site " + siteId, "http://" + fhirHost + ":8080/fhir",
                    "http://" + fhirHost + ":8080/network/fhir", "https://" + peerHost + ":8443");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one-site overlay: hospital-a with an external database, peers hospital-b and -c elsewhere. */
    static void prepareSiteOverlay(Path overlay) {
        List<NetworkDescriptor.Site> sites = new ArrayList<>();
        sites.add(site(overlay.resolve("secrets"), "hospital-a", "peer.hospital-a.example", "fhir.hospital-a.example"));
        for (String other : List.of("hospital-b", "hospital-c")) {
            sites.add(site(overlay.resolve("elsewhere").resolve(other), other, "peer." + other + ".example", "fhir." + other + ".example"));
        }
        new NetworkDescriptor("regional-quality", 1, sites).write(overlay.resolve("descriptor.json"));
        write(overlay.resolve("secrets/database-uri"), "postgresql://concilium:secret@db.hospital-a.internal:5432/concilium");
        write(overlay.resolve("secrets/database-username"), "concilium");
        write(overlay.resolve("secrets/database-password"), "secret");
    }

    /** The three-site demo: what its prepare.sh makes with bin/concilium keys init. */
    static void prepareDemoOverlay(Path overlay) {
        List<NetworkDescriptor.Site> sites = new ArrayList<>();
        for (String s : List.of("site-a", "site-b", "site-c")) {
            String host = s + "-concilium-%s.concilium-demo.svc";
            sites.add(site(overlay.resolve(s).resolve("secrets"), s, host.formatted("peer"), host.formatted("fhir")));
        }
        new NetworkDescriptor("concilium-demo", 1, sites).write(overlay.resolve("descriptor.json"));
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
