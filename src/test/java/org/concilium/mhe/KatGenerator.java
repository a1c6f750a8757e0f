package org.concilium.mhe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tool, not a test: regenerates the known-answer vectors that {@code KnownAnswerTest} checks.
 * Run it only when a change of the encoding is intended, review the diff, commit:
 * <pre>
 * ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.concilium.mhe.KatGenerator
 * </pre>
 */
public final class KatGenerator {

    private KatGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/mhe");
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>(KatValues.compute());
        Files.write(dir.resolve("kat.properties"), lines);
        Files.write(dir.resolve("ciphertext-INSECURE_N1024_Q100_T65537.bin"),
                org.concilium.mhe.bfv.KatAccess.ciphertext(InsecureParameters.INSECURE_N1024_Q100_T65537));
        System.out.println("known-answer vectors written to " + dir.toAbsolutePath());
    }
}
