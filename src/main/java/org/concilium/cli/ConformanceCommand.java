package org.concilium.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.concilium.measure.MeasureEvaluator;
import org.concilium.measure.conformance.ConformanceCase;
import org.concilium.measure.conformance.ConformanceSweep;
import org.concilium.measure.conformance.ConformanceTable;
import org.concilium.measure.conformance.MeasureConformance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code conformance DIR}: evaluates every test case a measure package ships and prints, per
 * measure, cases / agree / disagree and each disagreeing population with both values. Exit 0 when
 * everything agrees, 1 when something disagrees (so a quality team can gate a publication on it).
 */
@Command(name = "conformance", description = "Evaluate a measure package's test cases and compare with its expected reports.")
final class ConformanceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "ecqm-content folder(s) (input/resources, input/tests/measure/<Measure>/<case>/) "
            + "or Bundles with expected MeasureReports, anywhere below DIR")
    Path dir;

    @Option(names = "--expected", paramLabel = "CSV",
            description = "expected results for content without shipped reports (folder,measure,subject,periodStart,periodEnd,population,expected)")
    Path expected;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "not a directory: " + dir);
        }
        if (expected != null && !Files.isRegularFile(expected)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no such file: " + expected);
        }
        List<ConformanceCase> cases = org.concilium.measure.conformance.PackageCases.find(dir, expected);
        List<MeasureConformance> rows;
        try (MeasureEvaluator evaluator = new MeasureEvaluator()) {
            rows = new ConformanceSweep(evaluator).run(cases);
        }
        spec.commandLine().getOut().print(ConformanceTable.render(rows));
        spec.commandLine().getOut().flush();
        return rows.stream().allMatch(r -> r.disagree() == 0) ? 0 : 1;
    }
}
