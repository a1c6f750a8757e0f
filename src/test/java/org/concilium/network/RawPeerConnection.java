package org.concilium.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.federation.identity.TlsStores;

/**
 * One connection to a peer port written byte by byte, for what an HTTP client will not send: a
 * plain-text request, a TLS client without a certificate, a body announced and never sent, a
 * body past every limit, a connection closed right after its request.
 */
final class RawPeerConnection implements AutoCloseable {

    private final Socket socket;
    private final String host;

    private RawPeerConnection(Socket socket, String host) {
        this.socket = socket;
        this.host = host;
    }

    /** Plain TCP, no TLS at all. */
    static RawPeerConnection plain(String peerUrl) throws IOException {
        URI u = URI.create(peerUrl);
        return new RawPeerConnection(new Socket(u.getHost(), u.getPort()), u.getHost());
    }

    /** TLS trusting {@code trusted}'s pinned certificates, as {@code identity} (null: no client certificate). */
    static RawPeerConnection tls(String peerUrl, SiteIdentity identity, NetworkDescriptor trusted) throws Exception {
        char[] pw = "test".toCharArray();
        KeyManager[] keys = null;
        if (identity != null) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(TlsStores.keyStore(identity, pw), pw);
            keys = kmf.getKeyManagers();
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsStores.trustStore(trusted));
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(keys, tmf.getTrustManagers(), new SecureRandom());
        URI u = URI.create(peerUrl);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(u.getHost(), u.getPort());
        s.setSoTimeout(20_000);
        s.startHandshake();
        return new RawPeerConnection(s, u.getHost());
    }

    /** Request line and headers of a POST to {@code /peer/<path>}; {@code framing} is the length header. */
    RawPeerConnection head(String path, String framing) throws IOException {
        return write(("POST /peer/" + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + framing
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    RawPeerConnection write(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Writes up to {@code max} bytes of zeros as one chunked body, in 1 MiB chunks, until the
     * server stops reading; returns how many it took.
     */
    long chunkedZeros(long max) {
        byte[] mib = new byte[1 << 20];
        long sent = 0;
        try {
            while (sent < max) {
                write((Integer.toHexString(mib.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                write(mib);
                write("\r\n".getBytes(StandardCharsets.US_ASCII));
                sent += mib.length;
            }
            write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closedByServer) {
            // what a server that stops reading does
        }
        return sent;
    }

    /** The status line the server answered within {@code timeout}, or null when it closed without answering. */
    String statusLine(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        try {
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + timeout + " (read so far: '" + line + "')");
        } catch (javax.net.ssl.SSLException refusedHandshake) {
            throw refusedHandshake;
        } catch (IOException reset) {
            return line.isEmpty() ? null : line.toString().trim();
        }
        return line.isEmpty() ? null : line.toString().trim();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
