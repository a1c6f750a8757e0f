package org.concilium.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * CPU time (user + system) of a local network's node processes and of their embedded PostgreSQL
 * servers (postmaster, backends and helpers), read from Linux's /proc/PID/stat through
 * {@link ProcessCpu}. Taken before and after one query, it is the query's CPU cost over all sites: on a
 * shared machine it moves far less with the load than wall time does. The PostgreSQL servers are found
 * by their data folder, not as the node's descendants: pg_ctl detaches the postmaster from the node.
 * Backends that end between two readings take their time with them (the connection pools keep theirs
 * open, so this is rare); -1 where /proc is missing.
 */
final class NetworkCpu {

    private final Path dir;
    private final List<LocalNetwork.Site> sites;

    /** {@code dir}: the local network's folder (each site's data under DIR/site-id). */
    NetworkCpu(Path dir, List<LocalNetwork.Site> sites) {
        this.dir = dir;
        this.sites = sites;
    }

    /** Milliseconds of CPU used so far by the nodes and their PostgreSQL servers. */
    double millis() {
        long micros = 0;
        for (LocalNetwork.Site s : sites) {
            if (ProcessHandle.of(s.pid()).isEmpty()) {
                return -1;
            }
            ProcessCpu c = ProcessCpu.sample(s.pid(), dir.resolve(s.id()));
            micros += c.jvmMicros() + c.postgresMicros();
        }
        return micros / 1000.0;
    }
}
