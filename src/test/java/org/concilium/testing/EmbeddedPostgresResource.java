package org.concilium.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.concilium.store.EmbeddedDatabase;

/** Starts the same embedded PostgreSQL the node uses, in a fresh directory, for @QuarkusTest classes. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase db;

    @Override
    public Map<String, String> start() {
        try {
            db = EmbeddedDatabase.start(Files.createTempDirectory("concilium-test-pg"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return db.quarkusConfig();
    }

    @Override
    public void stop() {
        if (db != null) {
            db.close();
        }
    }
}
