package org.concilium.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.concilium.measure.MeasureModel;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sum of the sites' vectors decodes to the report of one engine holding the union of their data. */
class NetworkSumTest {

    static Stream<Arguments> measures() {
        return Stream.of(
                Arguments.of("proportion", TestMeasures.proportion(), 3),
                Arguments.of("proportion", TestMeasures.proportion(), 5),
                Arguments.of("ratio", TestMeasures.ratio(), 3),
                Arguments.of("cohort", TestMeasures.cohort(), 5),
                Arguments.of("cv-average", TestMeasures.continuousVariable("average"), 3),
                Arguments.of("cv-sum", TestMeasures.continuousVariable("sum"), 5),
                Arguments.of("cv-count", TestMeasures.continuousVariable("count"), 3));
    }

    @ParameterizedTest(name = "{0} over {2} sites")
    @MethodSource("measures")
    void networkReportEqualsUnionReport(String name, Measure measure, int sites) {
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(measure));
        List<SyntheticPatient> union = new ArrayList<>();
        List<long[]> vectors = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            List<SyntheticPatient> site = SyntheticPatient.site(1000L * sites + s, 40 + 17 * s);
            union.addAll(site);
            vectors.add(layout.encode(LocalSummary.report(measure, site)));
        }
        MeasureReport network = layout.decode(layout.sum(vectors));
        MeasureReport expected = LocalSummary.report(measure, union);

        ReportComparison.assertSameResults(layout, expected, network);
        assertArrayEquals(layout.encode(expected), layout.sum(vectors), "union vector = sum of site vectors");
    }

    @ParameterizedTest(name = "{0} over {2} sites")
    @MethodSource("measures")
    void decodeThenEncodeIsIdentity(String name, Measure measure, int sites) {
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(measure));
        long[] v = layout.encode(LocalSummary.report(measure, SyntheticPatient.site(sites, 200)));
        MeasureReport decoded = layout.decode(v);
        assertArrayEquals(v, layout.encode(decoded));
        assertEquals(MeasureReport.MeasureReportType.SUMMARY, decoded.getType());
        assertEquals(measure.getUrl() + "|1.0.0", decoded.getMeasure());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("measures")
    void everyNodeDerivesTheSameLayout(String name, Measure measure, int sites) {
        var parser = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser();
        Measure reparsed = parser.parseResource(Measure.class, parser.encodeResourceToString(measure));
        MeasureLayout a = MeasureLayout.of(MeasureModel.of(measure));
        MeasureLayout b = MeasureLayout.of(MeasureModel.of(reparsed));
        assertEquals(a.fingerprint(), b.fingerprint());
        assertEquals(a.slots(), b.slots());
        assertTrue(a.slotCount() > 0);
    }
}
