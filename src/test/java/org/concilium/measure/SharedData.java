package org.concilium.measure;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared, read-only test data ({@code ../shared/data} from the project root, or the
 * {@code concilium.shared.data} system property). Tests that need it are skipped, not failed,
 * when it is absent.
 */
final class SharedData {

    private static final Map<String, InMemoryClinicalData> CACHE = new ConcurrentHashMap<>();

    private SharedData() {}

    static Path root() {
        Path relative = Path.of("../shared/data");
        if (Files.isDirectory(relative)) {
            return relative;
        }
        String property = System.getProperty("concilium.shared.data");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property);
        }
        return null;
    }

    /** A folder below the shared data root; skips the calling test when the data is not there. */
    static Path folder(String relative) {
        Path root = root();
        assumeTrue(root != null, "shared test data not found at ../shared/data (or -Dconcilium.shared.data): skipping");
        Path dir = root.resolve(relative);
        assumeTrue(Files.exists(dir), "shared test data folder " + dir + " missing: skipping");
        return dir;
    }

    /** All resources below a shared-data folder, loaded once per JVM. */
    static InMemoryClinicalData load(String relative) {
        Path dir = folder(relative);
        return CACHE.computeIfAbsent(relative, r -> InMemoryClinicalData.builder().addDirectory(dir).build());
    }
}
