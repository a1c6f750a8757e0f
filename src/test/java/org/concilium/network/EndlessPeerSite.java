package org.concilium.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.concilium.federation.identity.NetworkDescriptor;
import org.concilium.federation.identity.SiteIdentity;
import org.concilium.federation.identity.TlsStores;

/**
 * A member gone rogue on its own peer port (its real identity, mutual TLS): it reads each request
 * and answers 200 with a chunked body of zeros, up to {@code limit} bytes per connection or until
 * the caller closes. {@link #mostSentOnOneConnection()} tells how much a caller took.
 */
final class EndlessPeerSite implements AutoCloseable {

    private final ServerSocket server;
    private final long limit;
    private final AtomicLong most = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    EndlessPeerSite(int port, SiteIdentity identity, NetworkDescriptor descriptor, long limit) throws Exception {
        this.limit = limit;
        char[] pw = "test".toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(TlsStores.keyStore(identity, pw), pw);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsStores.trustStore(descriptor));
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(port);
        s.setNeedClientAuth(true);
        server = s;
        Thread.ofVirtual().start(this::accept);
    }

    long mostSentOnOneConnection() {
        return most.get();
    }

    long connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket c = server.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> answer(c));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket c) {
        long sent = 0;
        try (c) {
            readRequest(c.getInputStream());
            OutputStream out = c.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            while (sent < limit) {
                out.write(head);
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                sent += chunk.length;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException callerClosed) {
            // what a caller that stops reading does
        } finally {
            long total = sent;
            most.accumulateAndGet(total, Math::max);
        }
    }

    /** Headers up to the blank line, then Content-Length bytes. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.append((char) b);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
