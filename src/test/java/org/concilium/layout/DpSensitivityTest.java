package org.concilium.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.concilium.measure.MeasureModel;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Measure;
import org.junit.jupiter.api.Test;

/** DP applies only where one subject's contribution is bounded: by construction, or declared on the group. */
class DpSensitivityTest {

    @Test
    void booleanBasisCountsAreBoundedByConstruction() {
        Measure m = TestMeasures.proportion();
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(m));
        DpSensitivity s = DpSensitivity.of(layout);
        assertThat(s.l1()).isEqualTo(layout.countSensitivity());
        assertThat(s.l2Squared()).isEqualTo(layout.countSensitivity());
    }

    @Test
    void aResourceBasisGroupNeedsItsDeclaredBoundWhichScalesTheSensitivity() {
        Measure m = TestMeasures.proportion();
        m.getGroupFirstRep().addExtension(new Extension("http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-populationBasis", new CodeType("Encounter")));
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(m));
        assertThatThrownBy(() -> DpSensitivity.of(layout)).isInstanceOf(DpSensitivity.Unknown.class)
                .hasMessageContaining("group 'main'").hasMessageContaining("Encounter-basis");
        m.getGroupFirstRep().addExtension(new Extension(DpSensitivity.MAX_RESOURCES, new IntegerType(3)));
        DpSensitivity s = DpSensitivity.of(MeasureLayout.of(MeasureModel.of(m))); // the changed Measure, modelled afresh
        int sde = layout.supplementalData().size();
        assertThat(s.l1()).isEqualTo(3.0 * (layout.countSensitivity() - sde) + sde);
        assertThat(s.l2Squared()).isEqualTo(9.0 * (layout.countSensitivity() - sde) + sde);
    }

    @Test
    void observationSumsNeedADeclaredBound() {
        Measure m = TestMeasures.continuousVariable("sum");
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(m));
        assertThatThrownBy(() -> DpSensitivity.of(layout)).isInstanceOf(DpSensitivity.Unknown.class)
                .hasMessageContaining("group 'los'").hasMessageContaining("observation sums");
        m.getGroupFirstRep().addExtension(new Extension(DpSensitivity.MAX_OBSERVATION, new DecimalType("2.5")));
        DpSensitivity s = DpSensitivity.of(MeasureLayout.of(MeasureModel.of(m))); // the changed Measure, modelled afresh
        // one subject moves the group's observation sum and its gender stratum's by ≤ 2.5 × 1000 (fixed point)
        // each, plus one unit for rounding the sum to fixed point
        assertThat(s.l1()).isEqualTo(layout.countSensitivity() + 2 * 2501.0);
        assertThat(s.l2Squared()).isEqualTo(layout.countSensitivity() + 2 * 2501.0 * 2501.0);
    }
}
