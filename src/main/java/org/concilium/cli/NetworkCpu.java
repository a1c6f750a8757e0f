package org.concilium.cli;

import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time (user + system) of a local network's node processes and everything they started (the
 * embedded PostgreSQL servers and their backends), read from Linux's /proc/PID/stat. Taken before and
 * after one query, it is the query's CPU cost over all sites: on a shared machine it moves far less
 * with the load than wall time does. Backends that end between two readings take their time with
 * them (the connection pools keep theirs open, so this is rare); -1 where /proc is missing.
 */
final class NetworkCpu {

    private final List<Long> nodes;

    NetworkCpu(List<LocalNetwork.Site> sites) {
        this.nodes = sites.stream().map(LocalNetwork.Site::pid).toList();
    }

    /** Milliseconds of CPU used so far by the nodes and their descendants. */
    double millis() {
        long ticks = 0;
        for (long pid : nodes) {
            var node = ProcessHandle.of(pid);
            if (node.isEmpty()) {
                return -1;
            }
            ticks += Stream.concat(Stream.of(node.get()), node.get().descendants())
                    .mapToLong(p -> ProcessCpu.ticks(p.pid())).sum();
        }
        return ticks * ProcessCpu.MICROS_PER_TICK / 1000.0;
    }
}
