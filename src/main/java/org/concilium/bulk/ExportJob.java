package org.concilium.bulk;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One export while this replica runs it: where it is (for X-Progress), the files done so far, and
 * whether it was cancelled. What outlives the run is its {@link BulkJob} row.
 */
public final class ExportJob {

    /** One NDJSON file of the manifest. */
    public record Output(String type, String file, long count) {
    }

    public final String id;
    public final ExportRequest request;
    public final Instant transactionTime;
    private volatile boolean cancelled;
    private volatile String currentType;
    private final AtomicLong written = new AtomicLong();
    private final List<Output> outputs = new CopyOnWriteArrayList<>();

    ExportJob(String id, ExportRequest request, Instant transactionTime) {
        this.id = id;
        this.request = request;
        this.transactionTime = transactionTime;
    }

    List<Output> outputs() {
        return List.copyOf(outputs);
    }

    /** For X-Progress: where the job is. */
    String progress() {
        return currentType == null ? "queued" : "exporting " + currentType + ", " + written.get()
                + " resources written, " + outputs.size() + " files of up to " + request.types().size() + " done";
    }

    boolean cancelled() {
        return cancelled;
    }

    void start(String type) {
        currentType = type;
    }

    void wrote(long n) {
        written.addAndGet(n);
    }

    void output(Output o) {
        outputs.add(o);
    }

    void cancel() {
        cancelled = true;
    }
}
