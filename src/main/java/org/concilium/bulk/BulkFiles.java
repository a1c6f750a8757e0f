package org.concilium.bulk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** The folders of the jobs' files (DATA/bulk-export/&lt;id&gt;, DATA/bulk-import/&lt;id&gt;) and the one worker thread per kind. */
final class BulkFiles {

    private static final Logger LOG = Logger.getLogger(BulkFiles.class);

    private BulkFiles() {
    }

    static Path root(String dataDir, BulkJob.Kind kind) {
        return Path.of(dataDir).resolve(kind == BulkJob.Kind.EXPORT ? "bulk-export" : "bulk-import");
    }

    static ExecutorService worker(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    static void deleteDir(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not remove %s: %s", dir, e.getMessage());
        }
    }
}
