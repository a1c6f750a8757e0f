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

    public void read(int n) {
        lines.addAndGet(n);
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
