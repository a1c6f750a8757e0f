package org.concilium.measure.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.concilium.cli.ConciliumCommand;
import org.concilium.testing.CqlMeasureFixture;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code concilium conformance DIR} on a package this test writes in the ecqm-content layout (so it
 * runs without ../shared): four cases, three with a shipped MeasureReport and one judged by its
 * name. One shipped report is wrong on purpose (it claims a numerator for an Observation outside
 * the period): the table must show exactly that population with both values, and exit 1.
 */
class GeneratedPackageConformanceTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    static final String CQL = """
            library Screening version '1.0.0'
            using FHIR version '4.0.1'
            include FHIRHelpers version '4.0.1' called FHIRHelpers
            parameter "Measurement Period" Interval<DateTime>
            context Patient
            define "Initial Population": exists [Encounter] E where E.period during "Measurement Period"
            define "Denominator": "Initial Population"
            define "Numerator": exists [Observation] O where O.effective during "Measurement Period" and O.status = 'final'
            """;

    @TempDir
    Path dir;

    @Test
    void theTableCountsAgreementsAndNamesTheDisagreeingPopulation() throws IOException {
        Path input = dir.resolve("input");
        write(input.resolve("resources/library/Screening.json"), library());
        write(input.resolve("resources/measure/Screening.json"), measure());
        Path tests = input.resolve("tests/measure/Screening");
        writeCase(tests, "numer-1", true, "2024-05-01T10:00:00Z", report("numer-1", 1, 1, 1));
        writeCase(tests, "denom-1", true, null, report("denom-1", 1, 1, 0));
        writeCase(tests, "no-ip-1", false, null, null);
        // wrong on purpose: the observation is in 2023, so the numerator is 0, not 1
        writeCase(tests, "numer-2", true, "2023-05-01T10:00:00Z", report("numer-2", 1, 1, 1));

        StringWriter out = new StringWriter();
        CommandLine cl = ConciliumCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int code = cl.execute("conformance", dir.toString());

        assertThat(out.toString())
                .contains("| Screening | 4 | 3 | 1 |")
                .contains("| Screening | numer-2 | numerator | 1 | 0 | measurereport-numer-2.json |")
                .doesNotContain("| numer-1 |").doesNotContain("| no-ip-1 |");
        assertThat(code).isEqualTo(1);
    }

    @Test
    void aPackageThatAgreesExitsZero() throws IOException {
        Path input = dir.resolve("input");
        write(input.resolve("resources/library/Screening.json"), library());
        write(input.resolve("resources/measure/Screening.json"), measure());
        writeCase(input.resolve("tests/measure/Screening"), "numer-1", true, "2024-05-01T10:00:00Z", report("numer-1", 1, 1, 1));
        StringWriter out = new StringWriter();
        CommandLine cl = ConciliumCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("conformance", dir.toString())).isZero();
        assertThat(out.toString()).contains("| Screening | 1 | 1 | 0 |");
    }

    private static void writeCase(Path tests, String name, boolean encounter, String observationAt, MeasureReport report)
            throws IOException {
        Path dir = tests.resolve(name);
        Patient p = new Patient();
        p.setId(name);
        write(dir.resolve("Patient/" + name + ".json"), p);
        if (encounter) {
            Encounter e = new Encounter();
            e.setId(name + "-enc");
            e.setStatus(Encounter.EncounterStatus.FINISHED).setSubject(new Reference("Patient/" + name))
                    .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null))
                    .setPeriod(new Period().setStartElement(new DateTimeType("2024-03-01T09:00:00Z"))
                            .setEndElement(new DateTimeType("2024-03-01T10:00:00Z")));
            write(dir.resolve("Encounter/" + name + "-enc.json"), e);
        }
        if (observationAt != null) {
            Observation o = new Observation();
            o.setId(name + "-obs");
            o.setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference("Patient/" + name))
                    .setCode(new CodeableConcept(new Coding("http://loinc.org", "10524-7", null)))
                    .setEffective(new DateTimeType(observationAt));
            write(dir.resolve("Observation/" + name + "-obs.json"), o);
        }
        if (report != null) {
            write(dir.resolve("measurereport-" + name + ".json"), report);
        }
    }

    private static MeasureReport report(String patient, int ip, int den, int num) {
        MeasureReport r = new MeasureReport();
        r.setStatus(MeasureReport.MeasureReportStatus.COMPLETE).setType(MeasureReport.MeasureReportType.INDIVIDUAL);
        r.setMeasure("http://example.org/fhir/Measure/Screening").setSubject(new Reference("Patient/" + patient));
        r.setPeriod(new Period().setStartElement(new DateTimeType("2024-01-01")).setEndElement(new DateTimeType("2024-12-31")));
        var g = r.addGroup();
        g.addPopulation().setCode(code("initial-population")).setCount(ip);
        g.addPopulation().setCode(code("denominator")).setCount(den);
        g.addPopulation().setCode(code("numerator")).setCount(num);
        return r;
    }

    private static Library library() {
        return CqlMeasureFixture.library("Screening", "Screening", CQL);
    }

    private static Measure measure() {
        Measure m = CqlMeasureFixture.proportion("Screening", "Screening", "http://example.org/fhir/Library/Screening");
        m.setEffectivePeriod(new Period().setStartElement(new DateTimeType("2024-01-01")).setEndElement(new DateTimeType("2024-12-31")));
        return m;
    }

    private static CodeableConcept code(String code) {
        return CqlMeasureFixture.populationCode(code);
    }

    private static void write(Path file, Resource r) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, FHIR.newJsonParser().encodeResourceToString(r));
    }
}
