package org.concilium.bulk;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code $import} while this replica runs it: how far it got (for X-Progress), the resources it
 * wrote per type and the count of failed lines (their OperationOutcomes are in {@link #errors}, one
 * per line). What outlives the run is its {@link BulkJob} row.
 */
public final class ImportJob {

    public final String id;
    public final Path dir;
    private volatile boolean cancelled;
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, Long> written = new TreeMap<>();
    private volatile Checkpoints checkpoints;
    private final long started = System.nanoTime();
    private final Map<Phase, AtomicLong> nanos = new java.util.EnumMap<>(Phase.class);

    /** Where an import spends its time, logged when it ends (the parsers' time is summed over their threads). */
    public enum Phase {
        /** parse, check, index rows, JSON and COPY text of chunks, on the parser threads */
        PREPARE,
        /** the writer waiting for the next chunk to be ready */
        WAIT,
        /** new ids written by COPY (existence query, COPY, commit) */
        COPY,
        /** ids that exist, and refused batches, written the versioned way */
        VERSIONED
    }

    /** Told, before each chunk is written, how many lines the job has committed (or failed) so far. */
    public interface Checkpoints {
        void committed(ImportJob job, long lines, int inFlight);
    }

    public ImportJob(String id, Path dir) {
        this.id = id;
        this.dir = dir;
        for (Phase p : Phase.values()) {
            nanos.put(p, new AtomicLong());
        }
    }

    public void timed(Phase phase, long startNanos) {
        nanos.get(phase).addAndGet(System.nanoTime() - startNanos);
    }

    /** One line for the log: wall time and the time of each phase, in seconds. */
    public String timings() {
        StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT, "%.2f s",
                (System.nanoTime() - started) / 1e9));
        nanos.forEach((p, n) -> out.append(String.format(java.util.Locale.ROOT, ", %s %.2f s",
                p.name().toLowerCase(java.util.Locale.ROOT), n.get() / 1e9)));
        return out.toString();
    }

    /** The NDJSON file of OperationOutcomes, one per failed line. */
    public Path errors() {
        return dir.resolve("errors.ndjson");
    }

    public long failedLines() {
        return failed.get();
    }

    public synchronized Map<String, Long> written() {
        return Map.copyOf(written);
    }

    public synchronized String progress() {
        long total = written.values().stream().mapToLong(Long::longValue).sum();
        return lines.get() + " lines read, " + total + " resources written, " + failed.get() + " failed";
    }

    public boolean cancelled() {
        return cancelled;
    }

    /**
     * A chunk of {@code n} lines is about to be written: every line read before it is committed or
     * failed (chunks are written in order), so this is where a resumed import may start.
     */
    public void read(int n) {
        Checkpoints c = checkpoints;
        if (c != null) {
            c.committed(this, lines.get(), n);
        }
        lines.addAndGet(n);
    }

    public void checkpoints(Checkpoints c) {
        this.checkpoints = c;
    }

    /** A resumed job starts from its checkpoint's counts. */
    public synchronized void restore(long linesBefore, Map<String, Long> writtenBefore, long failedBefore) {
        lines.set(linesBefore);
        written.putAll(writtenBefore);
        failed.set(failedBefore);
    }

    public void failed() {
        failed.incrementAndGet();
    }

    public synchronized void wrote(String type) {
        written.merge(type, 1L, Long::sum);
    }

    public void cancel() {
        cancelled = true;
    }
}
