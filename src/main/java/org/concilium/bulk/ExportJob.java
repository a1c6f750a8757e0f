package org.concilium.bulk;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** One export's state: running until {@link #finish}/{@link #fail}; its files live in {@link #dir}. */
public final class ExportJob {

    public enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    /** One NDJSON file of the manifest. */
    public record Output(String type, String file, long count) {
    }

    public final String id;
    public final ExportRequest request;
    public final Path dir;
    public final Instant transactionTime;
    private volatile State state = State.QUEUED;
    private volatile String error;
    private volatile String currentType;
    private volatile Instant expires;
    private final AtomicLong written = new AtomicLong();
    private final List<Output> outputs = new CopyOnWriteArrayList<>();

    ExportJob(String id, ExportRequest request, Path dir, Instant transactionTime) {
        this.id = id;
        this.request = request;
        this.dir = dir;
        this.transactionTime = transactionTime;
    }

    public State state() {
        return state;
    }

    public String error() {
        return error;
    }

    public List<Output> outputs() {
        return List.copyOf(outputs);
    }

    public Instant expires() {
        return expires;
    }

    /** For X-Progress: where the job is. */
    public String progress() {
        return state == State.QUEUED ? "queued" : "exporting " + (currentType == null ? "" : currentType + ", ")
                + written.get() + " resources written, " + outputs.size() + " of " + request.types().size() + " types done";
    }

    boolean cancelled() {
        return state == State.CANCELLED;
    }

    void start(String type) {
        if (state == State.QUEUED) {
            state = State.RUNNING;
        }
        currentType = type;
    }

    void wrote() {
        written.incrementAndGet();
    }

    void output(Output o) {
        outputs.add(o);
    }

    void finish(Instant expiry) {
        expires = expiry;
        if (state != State.CANCELLED) {
            state = State.DONE;
        }
    }

    void fail(String message, Instant expiry) {
        error = message;
        expires = expiry;
        state = State.FAILED;
    }

    void cancel() {
        state = State.CANCELLED;
    }
}
