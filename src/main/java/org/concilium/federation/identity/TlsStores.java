package org.concilium.federation.identity;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;

/**
 * PKCS#12 stores for mutual TLS on the peer port (Quarkus / Vert.x {@code PfxOptions} or
 * {@code quarkus.tls.*.key-store.p12}): the node's own key + certificate, and a trust store that holds exactly the
 * certificates pinned in the network descriptor, so no other certificate can complete a handshake.
 *
 * <pre>{@code
 * KeyStore ks = TlsStores.keyStore(identity, password);
 * KeyStore ts = TlsStores.trustStore(descriptor);
 * TlsStores.write(ks, dir.resolve("peer-keystore.p12"), password);   // 0600
 * }</pre>
 */
public final class TlsStores {
    private TlsStores() {}

    public static KeyStore keyStore(SiteIdentity identity, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(identity.siteId(), identity.privateKey(IdentityKeyAccess.grant()), password,
                    new Certificate[] {identity.certificate()});
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build key store", e);
        }
    }

    /** Trust store with one entry per member site (alias = site id). */
    public static KeyStore trustStore(NetworkDescriptor descriptor) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            for (NetworkDescriptor.Site s : descriptor.sites()) ts.setCertificateEntry(s.id(), s.parsedCertificate());
            return ts;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build trust store", e);
        }
    }

    /** Writes a store as PKCS#12 with mode 0600 (a key store holds the private key). */
    public static void write(KeyStore store, Path file, char[] password) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            java.nio.file.Files.deleteIfExists(file);
            Secrets.writeOwnerOnly(file, out.toByteArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    public static KeyStore read(Path file, char[] password) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new PeerProtocolException(PeerProtocolException.Reason.INVALID_IDENTITY, "cannot read key store " + file, e);
        }
    }
}
