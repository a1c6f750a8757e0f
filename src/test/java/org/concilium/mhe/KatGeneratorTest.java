package org.concilium.mhe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the known-answer vectors: run once with {@code -Dmhe.kat.regenerate=true}, review
 * the diff, commit. Never runs in normal builds.
 */
@EnabledIfSystemProperty(named = "mhe.kat.regenerate", matches = "true")
class KatGeneratorTest {
    @Test
    void regenerate() throws IOException {
        Path dir = Path.of("src/test/resources/mhe");
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>(KatValues.compute());
        Files.write(dir.resolve("kat.properties"), lines);
        Files.write(dir.resolve("ciphertext-INSECURE_N1024_Q100_T65537.bin"),
                org.concilium.mhe.bfv.KatAccess.ciphertext(InsecureParameters.INSECURE_N1024_Q100_T65537));
    }
}
