package org.concilium.bulk;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The jobs' files in PostgreSQL (table {@code bulk_file_chunk}, V270), so that every replica of the
 * site serves them: written and read one chunk of at most {@code concilium.bulk.chunk-bytes} at a
 * time, so memory stays flat in a file's size. Calls block; never on the event loop.
 */
@ApplicationScoped
public class BulkFileChunks {

    private static final Duration WAIT = Duration.ofMinutes(5);
    /** Chunk inserts of one file pending at once (memory: this many chunks, plus the one filling). */
    private static final int IN_FLIGHT = 2;

    @Inject
    Pool pool;
    @ConfigProperty(name = "concilium.bulk.chunk-bytes", defaultValue = "1048576")
    int chunkBytes;

    /**
     * A stream that stores what is written to it as the file's chunks (the last one on close). A
     * chunk's insert runs while the next chunk fills (at most {@link #IN_FLIGHT} inserts pending),
     * so the producer (a COPY out of the database) does not wait for each round trip.
     */
    public OutputStream writer(String job, String file) {
        return new OutputStream() {
            private byte[] buffer = new byte[chunkBytes];
            private int filled;
            private int seq;
            private final java.util.ArrayDeque<java.util.concurrent.CompletableFuture<?>> pending =
                    new java.util.ArrayDeque<>();

            @Override
            public void write(int b) throws IOException {
                buffer[filled++] = (byte) b;
                if (filled == buffer.length) {
                    flushChunk();
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, buffer.length - filled);
                    System.arraycopy(b, off, buffer, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                    if (filled == buffer.length) {
                        flushChunk();
                    }
                }
            }

            @Override
            public void close() throws IOException {
                if (filled > 0) {
                    flushChunk();
                }
                while (!pending.isEmpty()) {
                    await(pending.poll());
                }
            }

            private void flushChunk() throws IOException {
                byte[] data = filled == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, filled);
                buffer = new byte[chunkBytes];
                filled = 0;
                if (pending.size() >= IN_FLIGHT) {
                    await(pending.poll());
                }
                pending.add(pool.preparedQuery("INSERT INTO bulk_file_chunk (job_id, file, seq, data)"
                        + " VALUES ($1, $2, $3, $4)").execute(Tuple.of(job, file, seq++,
                                io.vertx.core.buffer.Buffer.buffer(data))).subscribeAsCompletionStage());
            }

            private void await(java.util.concurrent.CompletableFuture<?> insert) throws IOException {
                try {
                    insert.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("storing an export chunk was interrupted");
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IOException("could not store a chunk of " + file, e);
                }
            }
        };
    }

    /** Stores a local file (an import's errors) as the job's {@code file}. */
    public void store(String job, String file, Path from) throws IOException {
        delete(job, file);
        try (InputStream in = Files.newInputStream(from); OutputStream out = writer(job, file)) {
            in.transferTo(out);
        }
    }

    public boolean exists(String job, String file) {
        return pool.preparedQuery("SELECT 1 FROM bulk_file_chunk WHERE job_id = $1 AND file = $2 AND seq = 0")
                .execute(Tuple.of(job, file)).await().atMost(WAIT).size() > 0;
    }

    /** Copies the file to {@code out}, chunk after chunk; the bytes copied. */
    public long copy(String job, String file, OutputStream out) throws IOException {
        long bytes = 0;
        for (int seq = 0;; seq++) {
            RowSet<Row> rows = pool.preparedQuery("SELECT data FROM bulk_file_chunk WHERE job_id = $1 AND file = $2"
                    + " AND seq = $3").execute(Tuple.of(job, file, seq)).await().atMost(WAIT);
            if (rows.size() == 0) {
                return bytes;
            }
            byte[] data = rows.iterator().next().getBuffer("data").getBytes();
            out.write(data);
            bytes += data.length;
        }
    }

    public void delete(String job, String file) {
        pool.preparedQuery("DELETE FROM bulk_file_chunk WHERE job_id = $1 AND file = $2").execute(Tuple.of(job, file))
                .await().atMost(WAIT);
    }

    /** Every file of the job (cancelled, expired, or restarted from the beginning). */
    public void deleteAll(String job) {
        pool.preparedQuery("DELETE FROM bulk_file_chunk WHERE job_id = $1").execute(Tuple.of(job)).await().atMost(WAIT);
    }
}
