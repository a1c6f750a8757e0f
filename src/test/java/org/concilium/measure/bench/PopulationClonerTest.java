package org.concilium.measure.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.concilium.store.BulkResourceLoader;
import org.concilium.store.CopyText;
import org.concilium.testing.SharedData;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/**
 * The bench's fast load stamps clones from COPY templates by text; it must write exactly the rows that
 * cloning, indexing and encoding each clone writes (the path every other load takes), or the store
 * path would be measured on different data than the in-memory path.
 */
class PopulationClonerTest {

    @Test
    void stampedClonesAreTheRowsOfRenderedClones() throws Exception {
        for (String bundle : List.of("EXM125-7.3.000-bundle.json", "EXM124-9.0.000-bundle.json")) {
            PopulationCloner cloner = new PopulationCloner(FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class,
                    Files.readString(SharedData.dir("clinical-reasoning/connectathon").resolve(bundle))));
            BulkResourceLoader loader = new BulkResourceLoader(null);
            Instant updated = Instant.parse("2026-11-26T19:00:00.123Z");
            List<CopyText> templates = cloner.copyTemplates(loader, updated);
            int from = 3 * cloner.templates.size() - 2; // crosses a round of the templates
            int count = cloner.templates.size() + 5;

            CopyText stamped = PopulationCloner.stamp(templates, from, count);
            CopyText rendered = loader.render(cloner.clonePatients(from, count), updated);

            assertThat(stamped.count()).isEqualTo(rendered.count()).isGreaterThan(count);
            assertThat(stamped.toString()).isEqualTo(rendered.toString()).contains("-c" + from, "-c" + (from + count - 1))
                    .doesNotContain(PopulationCloner.MARKER);
        }
    }
}
