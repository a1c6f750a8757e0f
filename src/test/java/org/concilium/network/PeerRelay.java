package org.concilium.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of a site's peer port, so a test can make that site misbehave on the wire
 * without touching it: TLS stays end to end (the relay sees only ciphertext). Modes:
 * <ul>
 * <li>{@link Mode#PASS}: bytes flow both ways as they come;</li>
 * <li>{@link Mode#SILENT}: the connection is accepted and read, and nothing ever comes back;</li>
 * <li>{@link Mode#TRICKLE}: the site's first {@link #TRICKLE_AFTER} bytes on a connection flow, then
 * one byte every {@link #TRICKLE_PAUSE_MS} ms (a site answering byte by byte).</li>
 * </ul>
 * The mode is read when a connection opens; switching it closes the open ones. {@link #open()} counts the connections still open, so a
 * test can see whether the caller closes the ones it gave up on.
 */
final class PeerRelay implements AutoCloseable {

    enum Mode { PASS, SILENT, TRICKLE }

    static final int TRICKLE_AFTER = 8 * 1024;
    static final int TRICKLE_PAUSE_MS = 20;

    private final ServerSocket server;
    private final int target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;

    PeerRelay(int listenPort, int targetPort) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 200);
        this.target = targetPort;
        Thread.ofVirtual().name("peer-relay-" + listenPort).start(this::acceptLoop);
    }

    /**
     * Switches mode and closes every connection open now: the caller's pool would otherwise keep
     * using a connection opened in the old mode. Waits a moment so the caller sees them closed.
     */
    void mode(Mode m) {
        mode = m;
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
        // the caller's HTTP client notices a closed idle connection on its selector, asynchronously
        java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofSeconds(1).toNanos());
    }

    /** Connections from the caller not yet closed (by either side). */
    int open() {
        return (int) sockets.stream().filter(s -> !s.isClosed()).count();
    }

    int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                sockets.add(client);
                Mode m = mode;
                Thread.ofVirtual().start(() -> serve(client, m));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client, Mode m) {
        try (client) {
            if (m == Mode.SILENT) {
                client.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the caller hangs up
                return;
            }
            try (Socket site = new Socket(InetAddress.getLoopbackAddress(), target)) {
                sockets.add(site);
                Thread up = Thread.ofVirtual().start(() -> copy(client, site, false));
                copy(site, client, m == Mode.TRICKLE);
                up.join();
            }
        } catch (IOException | InterruptedException e) {
            // either side hung up
        } finally {
            sockets.remove(client);
        }
    }

    private static void copy(Socket from, Socket to, boolean trickle) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[8192];
            long sent = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; ) {
                    int chunk = trickle && sent >= TRICKLE_AFTER ? 1 : n - i;
                    out.write(buf, i, chunk);
                    out.flush();
                    i += chunk;
                    sent += chunk;
                    if (trickle && sent > TRICKLE_AFTER) {
                        Thread.sleep(TRICKLE_PAUSE_MS);
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // either side hung up
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
