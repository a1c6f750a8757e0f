package org.concilium.federation.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsStoresTest {
    private static final char[] PASSWORD = "changeit-in-tests".toCharArray();
    private static final Fixtures NET = Fixtures.network("demo-net", 0, "site-a", "site-b");

    @Test
    void storesRoundTripThroughPkcs12Files(@TempDir Path dir) throws Exception {
        KeyStore ks = TlsStores.keyStore(NET.identity("site-a"), PASSWORD);
        TlsStores.write(ks, dir.resolve("ks.p12"), PASSWORD);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ks.p12"))));
        KeyStore read = TlsStores.read(dir.resolve("ks.p12"), PASSWORD);
        assertTrue(read.isKeyEntry("site-a"));
        assertEquals(NET.identity("site-a").certificate(), read.getCertificate("site-a"));
        assertEquals(NET.identity("site-a").privateKey(IdentityKeyAccess.grant()), (PrivateKey) read.getKey("site-a", PASSWORD));

        KeyStore ts = TlsStores.trustStore(NET.descriptor());
        assertEquals(2, ts.size());
        assertTrue(ts.isCertificateEntry("site-b"));
        assertThrows(PeerProtocolException.class, () -> TlsStores.read(dir.resolve("ks.p12"), "wrong".toCharArray()));
    }

    private static SSLContext context(SiteIdentity id, NetworkDescriptor d) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(TlsStores.keyStore(id, PASSWORD), PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsStores.trustStore(d));
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Handshake over loopback with hostname verification; returns the CN the server saw. */
    private static String handshake(SiteIdentity server, SiteIdentity client, NetworkDescriptor pins) throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) context(server, pins).getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ss.setNeedClientAuth(true);
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(5_000);
                    s.startHandshake();
                    String cn = s.getSession().getPeerPrincipal().getName();
                    s.getOutputStream().write(1);
                    s.getOutputStream().flush();
                    return cn;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (SSLSocket c = (SSLSocket) context(client, pins).getSocketFactory().createSocket("127.0.0.1", ss.getLocalPort())) {
                SSLParameters p = c.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                c.setSSLParameters(p);
                c.setSoTimeout(5_000);
                c.startHandshake();
                c.getInputStream().read();
            }
            return seen.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void pinnedSitesCompleteMutualTlsOnLoopback() throws Exception {
        assertEquals("CN=site-b,O=Concilium", handshake(NET.identity("site-a"), NET.identity("site-b"), NET.descriptor()));
    }

    @Test
    void anUnpinnedCertificateCannotConnect() {
        SiteIdentity impostor = SiteIdentity.generate("site-b");
        assertThrows(Exception.class, () -> handshake(NET.identity("site-a"), impostor, NET.descriptor()));
    }
}
