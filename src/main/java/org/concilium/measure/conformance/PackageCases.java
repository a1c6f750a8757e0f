package org.concilium.measure.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.concilium.measure.ClinicalData;
import org.concilium.measure.InMemoryClinicalData;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Resource;

/**
 * Finds the test cases below a folder, in three forms:
 * <ul>
 * <li>the ecqm-content layout: {@code input/resources}, {@code input/vocabulary}, {@code input/cql}
 *     and {@code input/tests/measure/<Measure>/<case>/} with the case's resources and, when shipped,
 *     {@code measurereport-<case>.json}; a case without a report is judged by its name
 *     ({@link ExpectedReports#byCaseName});</li>
 * <li>Bundles that carry a Measure, its data and expected MeasureReports (the connectathon form);</li>
 * <li>rows of an expectations table for content that ships no reports ({@link ExpectationTable}).</li>
 * </ul>
 */
public final class PackageCases {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private PackageCases() {}

    public static List<ConformanceCase> find(Path dir, Path expectationTable) {
        List<ConformanceCase> cases = new ArrayList<>();
        Map<Path, Supplier<ClinicalData>> wholeFolders = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir, 8)) {
            for (Path p : walk.sorted().toList()) {
                if (Files.isDirectory(p) && p.getFileName() != null && p.getFileName().toString().equals("input")
                        && Files.isDirectory(p.resolve("resources"))) {
                    Supplier<ClinicalData> whole = memo(() -> InMemoryClinicalData.builder().addDirectory(p).build());
                    wholeFolders.put(p.getParent(), whole);
                    cases.addAll(contentFolder(p));
                } else if (Files.isRegularFile(p) && p.toString().endsWith(".json") && !underInput(dir, p)) {
                    cases.addAll(bundle(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (expectationTable != null) {
            cases.addAll(ExpectationTable.read(expectationTable, wholeFolders));
        }
        return cases;
    }

    private static boolean underInput(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            if (part.toString().equals("input")) {
                return true;
            }
        }
        return false;
    }

    /** The ecqm-content layout: one case per folder below input/tests/measure/<Measure>/. */
    private static List<ConformanceCase> contentFolder(Path input) throws IOException {
        Path tests = input.resolve("tests").resolve("measure");
        if (!Files.isDirectory(tests)) {
            return List.of();
        }
        InMemoryClinicalData.Builder knowledgeBuilder = InMemoryClinicalData.builder();
        try (Stream<Path> parts = Files.list(input)) {
            for (Path part : parts.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().equals("tests")).toList()) {
                knowledgeBuilder.addDirectory(part);
            }
        }
        List<Resource> knowledge = knowledgeBuilder.build().all();
        List<ConformanceCase> out = new ArrayList<>();
        List<Path> measureDirs;
        try (Stream<Path> s = Files.list(tests)) {
            measureDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path measureDir : measureDirs) {
            String measureName = measureDir.getFileName().toString();
            Measure measure = knowledge.stream().filter(r -> r instanceof Measure).map(r -> (Measure) r)
                    .filter(m -> measureName.equals(m.getIdElement().getIdPart()) || measureName.equals(m.getName()))
                    .findFirst().orElse(null);
            String ref = measure == null ? measureName : measure.getUrl();
            List<Path> caseDirs;
            try (Stream<Path> s = Files.list(measureDir)) {
                caseDirs = s.filter(Files::isDirectory).sorted().toList();
            }
            Optional<MeasureReport> anyReport = caseDirs.stream().map(PackageCases::shippedReport).flatMap(Optional::stream).findFirst();
            for (Path caseDir : caseDirs) {
                String name = caseDir.getFileName().toString();
                Optional<MeasureReport> report = shippedReport(caseDir);
                Map<String, Double> expected = report.map(ExpectedReports::of).orElseGet(() -> ExpectedReports.byCaseName(name));
                if (expected == null) {
                    continue; // neither a report nor a conventional name: nothing to compare with
                }
                String[] period = report.or(() -> anyReport).isPresent() ? period(report.or(() -> anyReport).get(), measure)
                        : CqlDefaultPeriod.of(measure, knowledge).orElseGet(() -> period(null, measure));
                String source = report.isPresent() ? "measurereport-" + name + ".json" : "case name";
                Supplier<ClinicalData> data = () -> InMemoryClinicalData.builder().addAll(knowledge).addDirectory(caseDir).build();
                out.add(new ConformanceCase(ref, measureName, name, "Patient/" + patientOf(caseDir, name), period[0], period[1],
                        expected, source, data));
            }
        }
        return out;
    }

    private static String patientOf(Path caseDir, String name) throws IOException {
        Path patients = caseDir.resolve("Patient");
        if (Files.isDirectory(patients)) {
            try (Stream<Path> s = Files.list(patients)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    return FHIR.newJsonParser().parseResource(Files.readString(f)).getIdElement().getIdPart();
                }
            }
        }
        return name;
    }

    private static Optional<MeasureReport> shippedReport(Path caseDir) {
        try (Stream<Path> s = Files.list(caseDir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith("measurereport")
                    && p.toString().endsWith(".json")).sorted().toList()) {
                return Optional.of(FHIR.newJsonParser().parseResource(MeasureReport.class, Files.readString(f)));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The expected report's period; else the Measure's effective period. */
    private static String[] period(MeasureReport report, Measure measure) {
        if (report != null && report.hasPeriod()) {
            return new String[] {report.getPeriod().getStartElement().getValueAsString(),
                    report.getPeriod().getEndElement().getValueAsString()};
        }
        if (measure != null && measure.hasEffectivePeriod()) {
            return new String[] {measure.getEffectivePeriod().getStartElement().getValueAsString(),
                    measure.getEffectivePeriod().getEndElement().getValueAsString()};
        }
        return new String[] {null, null};
    }

    /** A Bundle with a Measure and expected MeasureReports: one case per report. */
    private static List<ConformanceCase> bundle(Path file) throws IOException {
        String text = Files.readString(file);
        if (!text.contains("\"MeasureReport\"") || !text.contains("\"Bundle\"")) {
            return List.of();
        }
        IParser parser = FHIR.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
        Bundle bundle;
        try {
            bundle = parser.parseResource(Bundle.class, text);
        } catch (RuntimeException e) {
            return List.of();
        }
        List<MeasureReport> reports = new ArrayList<>();
        Map<String, Measure> measures = new TreeMap<>();
        for (var entry : bundle.getEntry()) {
            if (entry.getResource() instanceof MeasureReport mr) {
                reports.add(mr);
            } else if (entry.getResource() instanceof Measure m) {
                measures.put("Measure/" + m.getIdElement().getIdPart(), m);
                measures.put(m.getUrl(), m);
            }
        }
        Supplier<ClinicalData> data = memo(() -> InMemoryClinicalData.builder().addBundle(parser.parseResource(Bundle.class, text)).build());
        List<ConformanceCase> out = new ArrayList<>();
        for (MeasureReport mr : reports) {
            Measure measure = measures.get(mr.getMeasure());
            String label = measure != null && measure.hasName() ? measure.getName() : file.getFileName().toString();
            String subject = mr.hasSubject() ? mr.getSubject().getReference() : null;
            String[] period = period(mr, measure);
            out.add(new ConformanceCase(mr.getMeasure(), label + " (" + file.getFileName() + ")",
                    subject == null ? mr.getIdElement().getIdPart() : subject.substring(subject.indexOf('/') + 1),
                    subject, period[0], period[1], ExpectedReports.of(mr), mr.getIdElement().getIdPart(), data));
        }
        return out;
    }

    static <T> Supplier<T> memo(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
