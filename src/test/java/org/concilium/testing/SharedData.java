package org.concilium.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.concilium.store.FhirJson;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
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

    /** Every resource of the FHIR JSON files under {@code dir}, Bundles flattened; other files are skipped. */
    public static List<Resource> resources(Path dir) throws IOException {
        List<Resource> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            IBaseResource r;
            try {
                r = FhirJson.context().newJsonParser().parseResource(Files.readString(f));
            } catch (RuntimeException e) {
                continue; // not a FHIR resource (a manifest, a list of names)
            }
            if (r instanceof Bundle b) {
                b.getEntry().stream().filter(e -> e.getResource() != null).forEach(e -> out.add(e.getResource()));
            } else if (r instanceof Resource resource) {
                out.add(resource);
            }
        }
        return out;
    }
}
