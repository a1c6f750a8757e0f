package org.concilium.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time used so far by a node's JVM and by its embedded PostgreSQL (postmaster and every backend
 * and helper process under it), from {@code /proc/<pid>/stat} (utime + stime, in clock ticks). Taken
 * before and after a timed run, it tells where the CPU of the run went whatever else the machine did.
 * Processes that ended between the two samples are not counted (the pool's backends live on).
 */
record ProcessCpu(long jvmMicros, long postgresMicros) {

    /** Linux reports clock ticks of 1/100 s on every platform Concilium runs on. */
    static final long MICROS_PER_TICK = 10_000;

    /** The node's JVM ({@code pid}) and the PostgreSQL processes whose postmaster runs on a folder under {@code dataDir}. */
    static ProcessCpu sample(long pid, Path dataDir) {
        long jvm = ticks(pid);
        Set<Long> postgres = new HashSet<>();
        String folder = dataDir.toAbsolutePath().toString();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                    .filter(p -> cmdline(p.pid()).contains(folder + "/") || p.parent().map(ProcessHandle::pid)
                            .map(parent -> parent == pid).orElse(false))
                    .forEach(postmaster -> {
                        postgres.add(postmaster.pid());
                        postmaster.descendants().forEach(d -> postgres.add(d.pid()));
                    });
        }
        long pg = postgres.stream().mapToLong(ProcessCpu::ticks).sum();
        return new ProcessCpu(jvm * MICROS_PER_TICK, pg * MICROS_PER_TICK);
    }

    ProcessCpu minus(ProcessCpu before) {
        return new ProcessCpu(jvmMicros - before.jvmMicros, postgresMicros - before.postgresMicros);
    }

    /** utime + stime of one process in clock ticks (1/100 s); 0 when it has ended. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields from the 3rd (state) on
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime (14th) + stime (15th)
        } catch (IOException | RuntimeException e) {
            return 0; // ended meanwhile
        }
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
