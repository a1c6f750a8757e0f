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

    /** Told, before each chunk is written, how many lines the job has committed (or failed) so far. */
    public interface Checkpoints {
        void committed(ImportJob job, long lines, int inFlight);
    }

    public ImportJob(String id, Path dir) {
        this.id = id;
        this.dir = dir;
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
