package org.concilium.federation.peer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.concilium.federation.NetworkContext;
import org.concilium.federation.identity.TlsStores;

/**
 * Mutual TLS material for the peer channel: this site's identity certificate, and a trust store
 * holding only the certificates pinned in the descriptor (all self-signed, so trusting exactly
 * them is pinning).
 */
final class PeerTls {

    static final char[] STORE_PASSWORD = "concilium-peer".toCharArray();

    private PeerTls() {
    }

    static KeyStore keyStore(NetworkContext.Membership m) {
        return TlsStores.keyStore(m.identity(), STORE_PASSWORD);
    }

    static KeyStore trustStore(NetworkContext.Membership m) {
        return TlsStores.trustStore(m.descriptor());
    }

    static byte[] pkcs12(KeyStore store) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            store.store(out, STORE_PASSWORD);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode a TLS store", e);
        }
    }

    static SSLContext clientContext(NetworkContext.Membership m) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore(m), STORE_PASSWORD);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore(m));
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the peer TLS context", e);
        }
    }
}
