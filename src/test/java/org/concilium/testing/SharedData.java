package org.concilium.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The external test material in ../shared/data. Tests over it run whenever it is present (CI
 * always has it) and are skipped, saying so, when the project is cloned alone.
 */
public final class SharedData {

    private SharedData() {
    }

    public static Path dir(String relative) {
        Path root = Path.of(System.getProperty("concilium.shared.data", "../shared/data"));
        Path p = root.resolve(relative);
        if (!Files.exists(p)) {
            System.out.println("SKIPPED: " + p.toAbsolutePath() + " is absent (clone ../shared beside the project)");
        }
        Assumptions.assumeTrue(Files.exists(p), "../shared/data/" + relative + " is absent: test skipped");
        return p;
    }
}
