package org.concilium.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The load balancer in front of a site's replicas, as small as it gets: accepts TCP connections on a
 * loopback port and pipes each, bytes unchanged (mutual TLS passes through end to end), to a target
 * port. Daemon threads; {@link #close()} stops accepting.
 */
final class TcpForwarder implements AutoCloseable {

    private final ServerSocket server;

    private TcpForwarder(ServerSocket server, int target) {
        this.server = server;
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket("127.0.0.1", target);
                    pump(in, out);
                    pump(out, in);
                } catch (IOException e) {
                    // closed, or the target refused: the client sees its connection drop
                }
            }
        }, "forward-" + server.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    /** Listens on {@code port} (e.g. the address a dead replica held) and forwards to {@code target}. */
    static TcpForwarder start(int port, int target) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return new TcpForwarder(s, target);
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
