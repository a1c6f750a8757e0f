package org.concilium.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.concilium.store.EmbeddedDatabase;

/**
 * Starts the same embedded PostgreSQL the node uses, in a fresh directory, for @QuarkusTest
 * classes, with the schema migrated and the {@link TestClient} registered.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase db;

    @Override
    public Map<String, String> start() {
        try {
            db = EmbeddedDatabase.start(Files.createTempDirectory("concilium-test-pg"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = db.quarkusConfig();
        TestClient.registerIn(db.reactiveUrl(), config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
        return config;
    }

    @Override
    public void stop() {
        if (db != null) {
            db.close();
        }
    }
}
