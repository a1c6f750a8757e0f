package org.concilium.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose port another program took after it was picked ends at once, and waiting for it says so
 * at once, naming the lost port race ({@link LocalNetwork#up} then starts the network again on fresh
 * ports). Before, a five-site network whose last node had lost such a race sat out the whole 8-minute
 * readiness timeout on its first, live node.
 */
class NodeStartIT {

    @Test
    void aNodeWhosePortIsTakenIsReportedAsALostPortRaceWithinSeconds(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NodeProcess node = NodeProcess.start(taken.getLocalPort(), dir.resolve("node"), List.of());
            try {
                long start = System.nanoTime();
                NodeProcess.NodeExited exited = catchThrowableOfType(NodeProcess.NodeExited.class,
                        () -> NodeProcess.awaitAllReady(List.of(node), Duration.ofMinutes(8)));
                assertThat(exited).isNotNull();
                assertThat(exited.portTaken()).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(3));
            } finally {
                node.close();
            }
        }
    }
}
