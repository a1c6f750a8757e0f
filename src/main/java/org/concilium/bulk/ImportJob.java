package org.concilium.bulk;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code $import}: the NDJSON inputs it reads, how far it got, the resources it wrote per type
 * and the count of failed lines (their OperationOutcomes are in {@link #errors}, one per line).
 */
public final class ImportJob {

    public enum State { RUNNING, DONE, FAILED, CANCELLED }

    public final String id;
    public final String owner;
    public final String requestUrl;
    public final Path dir;
    public final Instant transactionTime;
    private volatile State state = State.RUNNING;
    private volatile String error;
    private volatile Instant expires;
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, Long> written = new TreeMap<>();

    public ImportJob(String id, String owner, String requestUrl, Path dir, Instant transactionTime) {
        this.id = id;
        this.owner = owner;
        this.requestUrl = requestUrl;
        this.dir = dir;
        this.transactionTime = transactionTime;
    }

    /** The NDJSON file of OperationOutcomes, one per failed line. */
    public Path errors() {
        return dir.resolve("errors.ndjson");
    }

    public State state() {
        return state;
    }

    public String error() {
        return error;
    }

    public Instant expires() {
        return expires;
    }

    public long failedLines() {
        return failed.get();
    }

    public synchronized Map<String, Long> written() {
        return Map.copyOf(written);
    }

    public String progress() {
        return lines.get() + " lines read, " + failed.get() + " failed";
    }

    public boolean cancelled() {
        return state == State.CANCELLED;
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

    public void finish(Instant expiry) {
        expires = expiry;
        if (state == State.RUNNING) {
            state = State.DONE;
        }
    }

    public void fail(String message, Instant expiry) {
        error = message;
        expires = expiry;
        state = State.FAILED;
    }

    public void cancel() {
        state = State.CANCELLED;
    }
}
