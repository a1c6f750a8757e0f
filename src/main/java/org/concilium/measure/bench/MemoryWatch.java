package org.concilium.measure.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Samples, once a second, what a bench step costs in memory: this JVM's resident size and used heap,
 * the embedded PostgreSQL's proportional set size (its processes' PSS summed, so the shared buffers
 * count once) and the machine's available memory. Peaks are kept per window ({@link #window()}). The
 * machine is shared: when available memory falls under the floor the bench stops (exit 3) before the
 * kernel's OOM killer picks a victim among everyone's processes.
 */
final class MemoryWatch implements AutoCloseable {

    private final Path postmasterPid;
    private final long floorKiB;
    private final Thread thread;
    private volatile boolean running = true;
    private long jvmRss;
    private long heapUsed;
    private long postgresPss;
    private long liveHeap;
    private long minAvailable = Long.MAX_VALUE;

    /** @param postgresData the embedded server's data folder; @param floorMiB stop when the machine has less available */
    MemoryWatch(Path postgresData, long floorMiB) {
        this.postmasterPid = postgresData.resolve("postmaster.pid");
        this.floorKiB = floorMiB << 10;
        this.thread = new Thread(this::run, "bench-memory-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts a new peak window. */
    synchronized void window() {
        jvmRss = heapUsed = postgresPss = liveHeap = 0;
        minAvailable = Long.MAX_VALUE;
    }

    /** The window's peaks in MiB (and the lowest available memory). */
    synchronized Map<String, Object> peaks(String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(prefix + "peak_jvm_rss_mib", jvmRss >> 10);
        out.put(prefix + "peak_heap_used_mib", heapUsed >> 20);
        out.put(prefix + "peak_heap_after_gc_mib", liveHeap >> 20);
        out.put(prefix + "peak_postgres_pss_mib", postgresPss >> 10);
        out.put(prefix + "min_machine_available_mib", minAvailable == Long.MAX_VALUE ? -1 : minAvailable >> 10);
        return out;
    }

    private void run() {
        while (running) {
            long available = kib(Path.of("/proc/meminfo"), "MemAvailable:");
            long rss = kib(Path.of("/proc/self/status"), "VmRSS:");
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long pss = postgresPss();
            long live = afterGc();
            synchronized (this) {
                jvmRss = Math.max(jvmRss, rss);
                heapUsed = Math.max(heapUsed, heap);
                postgresPss = Math.max(postgresPss, pss);
                liveHeap = Math.max(liveHeap, live);
                if (available > 0) {
                    minAvailable = Math.min(minAvailable, available);
                }
            }
            if (available > 0 && available < floorKiB) {
                System.err.printf("bench: the machine has %d MiB available, under the floor of %d MiB: stopping%n",
                        available >> 10, floorKiB >> 10);
                System.exit(3);
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * The heap left by the latest collection (young or full): what the program holds plus what was
     * promoted since, as opposed to the used heap, which the collector lets grow to what the limit allows.
     */
    private static long afterGc() {
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        com.sun.management.GcInfo latest = null;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean g && g.getLastGcInfo() != null
                    && (latest == null || g.getLastGcInfo().getEndTime() > latest.getEndTime())) {
                latest = g.getLastGcInfo();
            }
        }
        if (latest == null) {
            return 0;
        }
        long sum = 0;
        for (var e : latest.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                sum += e.getValue().getUsed();
            }
        }
        return sum;
    }

    /** PSS of the postmaster and its children, KiB (0 when it cannot be read). */
    private long postgresPss() {
        try {
            long sum = 0;
            for (Path p : postgresProcesses().keySet()) {
                sum += kib(p.resolve("smaps_rollup"), "Pss:");
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * CPU seconds the embedded PostgreSQL has used so far: its live processes' own time plus what its
     * ended backends left in the postmaster's children's time (clock ticks at 100 Hz, Linux's USER_HZ).
     */
    double postgresCpuSeconds() {
        try {
            long ticks = 0;
            for (var e : postgresProcesses().entrySet()) {
                String[] f = statFields(e.getKey());
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                if (e.getValue()) {
                    ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                }
            }
            return ticks / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The postmaster's and its children's /proc folders, each mapped to whether it is the postmaster. */
    private Map<Path, Boolean> postgresProcesses() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(postmasterPid).get(0).strip());
        Map<Path, Boolean> procs = new LinkedHashMap<>();
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) all.filter(p -> p.getFileName().toString().matches("\\d+"))::iterator) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid == postmaster || parent(p) == postmaster) {
                    procs.put(p, pid == postmaster);
                }
            }
        }
        return procs;
    }

    /** /proc/PID/stat fields after the command name: [0] is the state, [1] the parent, [11] utime. */
    private static String[] statFields(Path proc) throws IOException {
        String stat = Files.readString(proc.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static long parent(Path proc) {
        try {
            return Long.parseLong(statFields(proc)[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long kib(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> Long.parseLong(l.substring(key.length()).replace("kB", "").strip())).orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
