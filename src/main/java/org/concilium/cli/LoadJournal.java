package org.concilium.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The transactions a node acknowledged during {@code load}, one line each ({@code key resources
 * source}), appended and flushed as each 2xx arrives. {@code load --resume} skips every key in it.
 * A transaction sent but not acknowledged (the node or the loader died) is not here; it is resent,
 * and its idempotency key (store/TransactionReceipts) makes the node answer it without writing
 * twice if it had in fact committed.
 */
final class LoadJournal implements AutoCloseable {

    private final Set<String> done;
    private final BufferedWriter out;

    private LoadJournal(Set<String> done, BufferedWriter out) {
        this.done = done;
        this.out = out;
    }

    /** Opens {@code file}: kept and read when {@code resume}, else started empty. */
    static LoadJournal open(Path file, boolean resume) {
        try {
            Set<String> done = new HashSet<>();
            if (resume && Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int space = line.indexOf(' ');
                    // a line cut by a crash of the loader has no space yet: its transaction is resent
                    if (space > 0) {
                        done.add(line.substring(0, space));
                    }
                }
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, resume ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            return new LoadJournal(done, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the load journal " + file, e);
        }
    }

    /** Acknowledged by an earlier run. */
    boolean done(String key) {
        return done.contains(key);
    }

    /** Records an acknowledgement; flushed at once so a killed loader loses at most the line it was writing. */
    synchronized void acknowledged(String key, int resources, String source) {
        try {
            out.write(key + " " + resources + " " + source.replace('\n', ' '));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the load journal", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
