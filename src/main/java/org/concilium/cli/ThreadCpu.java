package org.concilium.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of a local network split by kind of thread: every node JVM's threads grouped by name with
 * the numbers taken out ({@code measure-worker-}, {@code GC Thread#}, {@code C2 CompilerThre},
 * {@code vert.x-eventloo}, ...; Linux keeps 15 characters of a name), its PostgreSQL processes as
 * {@code postgres}, and what threads that ended took as {@code (ended threads)}. Read from
 * /proc/PID/task/TID/{comm,stat}; the difference of two samples says which part of the node a query
 * kept busy (the evaluation, the collector, the compiler, the HTTP and TLS threads, the database).
 */
final class ThreadCpu {

    private final Path dir;
    private final List<LocalNetwork.Site> sites;

    /** {@code dir}: the local network's folder (each site's data under DIR/site-id). */
    ThreadCpu(Path dir, List<LocalNetwork.Site> sites) {
        this.dir = dir;
        this.sites = sites;
    }

    /** Clock ticks (1/100 s) used so far, per group, summed over the nodes. */
    Map<String, Long> sample() {
        Map<String, Long> out = new TreeMap<>();
        for (LocalNetwork.Site s : sites) {
            long pid = s.pid();
            if (ProcessHandle.of(pid).isEmpty()) {
                continue;
            }
            long threads = 0;
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks.toList()) {
                    long t = ticks(task.resolve("stat"));
                    threads += t;
                    out.merge(group(task.resolve("comm")), t, Long::sum);
                }
            } catch (IOException e) {
                continue;
            }
            out.merge("(ended threads)", ProcessCpu.ticks(pid) - threads, Long::sum);
            out.merge("postgres", ProcessCpu.sample(pid, dir.resolve(s.id())).postgresMicros() / ProcessCpu.MICROS_PER_TICK,
                    Long::sum);
        }
        return out;
    }

    /** {@code after - before}, per group, in milliseconds. */
    static Map<String, Long> millis(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((k, v) -> out.put(k, (v - before.getOrDefault(k, 0L)) * ProcessCpu.MICROS_PER_TICK / 1000));
        return out;
    }

    private static String group(Path comm) {
        try {
            return Files.readString(comm).strip().replaceAll("[0-9]+", "").replaceAll("[#-]+$", "");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static long ticks(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
