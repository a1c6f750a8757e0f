package org.concilium.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.concilium.layout.DpSensitivity;
import org.concilium.layout.MeasureLayout;
import org.concilium.measure.MeasureModel;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.Test;

/** The released report states its own protection: noise or not, ε and δ spent, k, and which cells were suppressed. */
class PrivacyDisclosureTest {

    private final Measure measure = SmallCellSuppressionTest.measure("proportion", "initial-population", "denominator",
            "numerator");
    private final MeasureLayout layout = MeasureLayout.of(MeasureModel.of(measure));

    /** 900 / 600 / 300 in the group; 3 women in the initial population (a small cell); 4 black patients (SDE). */
    private long[] sums() {
        long[] v = new long[layout.slotCount()];
        v[layout.indexOf("g[#1].pop[initial-population]")] = 900;
        v[layout.indexOf("g[#1].pop[denominator]")] = 600;
        v[layout.indexOf("g[#1].pop[numerator]")] = 300;
        v[layout.indexOf("g[#1].strat[gender][female].pop[initial-population]")] = 3;
        v[layout.indexOf("sde[race][white]")] = 500;
        v[layout.indexOf("sde[race][black]")] = 4;
        v[layout.indexOf("sde[race][asian]")] = 396;
        return v;
    }

    private static Extension disclosure(MeasureReport r) {
        Extension e = r.getExtensionByUrl(PrivacyDisclosure.URL);
        assertThat(e).as("the report carries " + PrivacyDisclosure.URL).isNotNull();
        return e;
    }

    private static String part(Extension e, String name) {
        Extension p = e.getExtensionByUrl(name);
        return p == null ? null : p.getValue().primitiveValue();
    }

    @Test
    void aNoisyReleaseStatesEpsilonDeltaTheNoiseAndTheSuppressedCells() {
        ReleasePolicy policy = new ReleasePolicy(11, true, 0.5, 1e-6, 10);
        MeasureReport r = ReportRelease.release(layout, sums(), "2024-01-01", "2024-12-31", policy);
        Extension e = disclosure(r);
        assertThat(part(e, PrivacyDisclosure.NOISE_ADDED)).isEqualTo("true");
        assertThat(part(e, PrivacyDisclosure.MECHANISM)).isEqualTo("skellam");
        assertThat(Double.parseDouble(part(e, PrivacyDisclosure.EPSILON))).isEqualTo(0.5);
        assertThat(Double.parseDouble(part(e, PrivacyDisclosure.DELTA))).isEqualTo(1e-6);
        assertThat(Double.parseDouble(part(e, PrivacyDisclosure.EPSILON_BUDGET))).isEqualTo(10.0);
        DpSensitivity s = DpSensitivity.of(layout);
        assertThat(Double.parseDouble(part(e, PrivacyDisclosure.NOISE_VARIANCE))).isCloseTo(
                SkellamAccountant.muFor(0.5, 1e-6, s.l1(), s.l2Squared()), org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(part(e, PrivacyDisclosure.MIN_CELL_SIZE)).isEqualTo("11");

        List<String> suppressed = e.getExtensionsByUrl(PrivacyDisclosure.SUPPRESSED).stream()
                .map(x -> x.getValue().primitiveValue()).toList();
        assertThat(suppressed).contains("group-1 / gender = female / initial-population",
                "supplemental-data race = black");
        // the list names exactly the cells the report marks masked, no more, no fewer
        String json = FhirJson.encode(r);
        int markers = json.split("\"masked\"", -1).length - 1;
        assertThat(suppressed).hasSize(markers);
        assertThat(part(e, PrivacyDisclosure.SUPPRESSED_COUNT)).isEqualTo(Integer.toString(markers));
        assertThat(json).contains("\"url\":\"http://concilium.org/fhir/StructureDefinition/release-privacy\"");
    }

    @Test
    void aReleaseWithoutDpSaysNoNoiseAndSpendsNoEpsilon() {
        ReleasePolicy policy = new ReleasePolicy(5, false, 0, 0, 0);
        long[] v = sums();
        v[layout.indexOf("g[#1].strat[gender][female].pop[initial-population]")] = 0;
        v[layout.indexOf("sde[race][black]")] = 0;
        MeasureReport r = ReportRelease.release(layout, v, "2024-01-01", "2024-12-31", policy);
        Extension e = disclosure(r);
        assertThat(part(e, PrivacyDisclosure.NOISE_ADDED)).isEqualTo("false");
        assertThat(e.getExtensionByUrl(PrivacyDisclosure.EPSILON)).isNull();
        assertThat(e.getExtensionByUrl(PrivacyDisclosure.NOISE_VARIANCE)).isNull();
        assertThat(part(e, PrivacyDisclosure.MIN_CELL_SIZE)).isEqualTo("5");
        assertThat(part(e, PrivacyDisclosure.SUPPRESSED_COUNT)).isEqualTo("0");
        assertThat(FhirJson.encode(r)).doesNotContain("\"masked\"");
    }
}
