package org.concilium.measure.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.concilium.measure.MeasureEvaluator;
import org.concilium.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The conformance sweep over everything in ../shared/data (ecqm-content-r4, the connectathon
 * bundles, and the clinical-reasoning MeasureTest fixtures with the expectations transcribed in
 * docs/conformance/measure-r4-expected.csv). Writes the table to target/conformance.md (the copy
 * in docs/conformance.md comes from it) and fails on any disagreement that docs/conformance.md
 * does not explain. Skipped, saying so, when ../shared/data is absent.
 */
class SharedDataConformanceTest {

    /** case|population → the section of docs/conformance.md that explains it with the CQL text. */
    static final Map<String, String> EXPLAINED = Map.of();

    @Test
    void everyShippedCaseAgreesOrIsExplained() throws IOException {
        Path data = SharedData.dir("");
        List<ConformanceCase> cases = PackageCases.find(data, Path.of("docs/conformance/measure-r4-expected.csv"));
        List<MeasureConformance> rows;
        try (MeasureEvaluator evaluator = new MeasureEvaluator()) {
            rows = new ConformanceSweep(evaluator).run(cases);
        }
        String table = ConformanceTable.render(rows);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/conformance.md"), table);
        System.out.println(table);

        // every source is there: 3 eCQM content measures, 3 connectathon bundles, the MeasureTest table
        assertTrue(rows.size() >= 3 + 3 + 10, "measures found: " + rows.size());
        assertTrue(cases.size() >= 40, "cases found: " + cases.size());
        List<String> unexplained = new ArrayList<>();
        for (MeasureConformance row : rows) {
            for (Disagreement d : row.disagreements()) {
                if (!EXPLAINED.containsKey(d.caseName() + "|" + d.population())) {
                    unexplained.add(row.measure() + " " + d.caseName() + " " + d.population() + ": expected "
                            + d.expected() + ", ours " + d.actual());
                }
            }
        }
        assertEquals(List.of(), unexplained, "disagreements not explained in docs/conformance.md");
    }
}
