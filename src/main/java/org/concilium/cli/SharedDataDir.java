package org.concilium.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the benchmarks find {@code ../shared/data} when no {@code --data} is given: beside the
 * working directory, else beside the project this build came from (so {@code bin/concilium bench}
 * works from any directory). Never an absolute path of one machine.
 */
final class SharedDataDir {

    private SharedDataDir() {
    }

    static Path resolve(String relative) {
        Path jar = NodeProcess.ownJar().toAbsolutePath();
        // target/quarkus-app/quarkus-run.jar → the project → its sibling shared/
        Path project = jar.getParent().getParent().getParent();
        List<Path> candidates = List.of(Path.of("../shared/data").resolve(relative),
                project.resolveSibling("shared").resolve("data").resolve(relative));
        return candidates.stream().filter(Files::exists).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no shared data at " + candidates.get(0) + " or " + candidates.get(1) + ": give --data DIR"));
    }
}
