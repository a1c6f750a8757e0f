package org.concilium.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.concilium.layout.MeasureLayout;
import org.concilium.measure.AggregateMethod;
import org.concilium.measure.MeasureModel;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Measure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class DemoMeasuresTest {
    static final java.util.List<String> IDS = DemoMeasures.IDS;

    @ParameterizedTest
    @FieldSource("IDS")
    void parsesStrictlyWithCanonicalUrlVersionStatusAndScoring(String id) {
        Measure m = (Measure) FhirJson.strictJsonParser().parseResource(DemoMeasures.json(id));
        assertThat(m.getIdElement().getIdPart()).isEqualTo(id);
        assertThat(m.getUrl()).isEqualTo("http://concilium.org/fhir/Measure/" + id);
        assertThat(m.getVersion()).isNotBlank();
        assertThat(m.getStatus()).isEqualTo(Enumerations.PublicationStatus.ACTIVE);
        assertThat(m.getScoring().getCodingFirstRep().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/measure-scoring");
        assertThat(m.getGroup()).isNotEmpty();
    }

    @ParameterizedTest
    @FieldSource("IDS")
    void everyPopulationStratifierAndSdeHasACodeAndFhirPathCriteria(String id) {
        Measure m = DemoMeasures.measure(id);
        for (Measure.MeasureGroupComponent g : m.getGroup()) {
            for (Measure.MeasureGroupPopulationComponent p : g.getPopulation()) {
                assertThat(p.getId()).isEqualTo(p.getCode().getCodingFirstRep().getCode());
                assertThat(p.getCode().getCodingFirstRep().getSystem())
                        .isEqualTo("http://terminology.hl7.org/CodeSystem/measure-population");
                assertThat(p.getCriteria().getLanguage()).isEqualTo("text/fhirpath");
                assertThat(p.getCriteria().getExpression()).isNotBlank();
            }
            for (Measure.MeasureGroupStratifierComponent s : g.getStratifier()) {
                assertThat(s.getCriteria().getLanguage()).isEqualTo("text/fhirpath");
                assertThat(s.getExtensionsByUrl("http://concilium.org/fhir/StructureDefinition/stratum-value"))
                        .as("declared stratum values").isNotEmpty();
            }
        }
        for (Measure.MeasureSupplementalDataComponent sd : m.getSupplementalData()) {
            assertThat(sd.getCriteria().getLanguage()).isEqualTo("text/fhirpath");
            assertThat(sd.getExtensionsByUrl("http://concilium.org/fhir/StructureDefinition/stratum-value")).isNotEmpty();
        }
    }

    @ParameterizedTest
    @FieldSource("IDS")
    void layoutIsBuiltFromDeclaredDomains(String id) {
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(DemoMeasures.measure(id)));
        assertThat(layout.measureCanonical()).isEqualTo("http://concilium.org/fhir/Measure/" + id + "|1.0.0");
        assertThat(layout.fingerprint()).isEqualTo(MeasureLayout.of(MeasureModel.of(DemoMeasures.measure(id))).fingerprint());
        assertThat(layout.slotCount()).isGreaterThan(4);
    }

    @Test
    void hypertensionLayoutHasGenderAndAgeBandStrataAndGenderAndRaceSupplementalData() {
        Measure m = DemoMeasures.measure(DemoMeasures.HYPERTENSION_CONTROL);
        assertThat(m.getImprovementNotation().getCodingFirstRep().getCode()).isEqualTo("increase");
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(m));
        for (String name : new String[] {"g[main].pop[denominator-exclusion]",
            "g[main].strat[gender][female].pop[numerator]", "g[main].strat[age-band][18-44].pop[denominator]",
            "g[main].strat[age-band][45-64].pop[numerator]", "g[main].strat[age-band][65+].pop[initial-population]",
            "sde[sde-gender][male]", "sde[sde-race][2054-5]"}) {
            assertThat(layout.indexOf(name)).as(name).isNotNegative();
        }
    }

    @Test
    void continuousVariableMeasureAveragesItsObservations() {
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(DemoMeasures.measure(DemoMeasures.HBA1C_AVERAGE)));
        assertThat(layout.groups().get(0).isContinuousVariable()).isTrue();
        assertThat(layout.groups().get(0).aggregate()).isEqualTo(AggregateMethod.AVERAGE);
        assertThat(layout.indexOf("g[main].strat[gender][male].obs.sum")).isNotNegative();
    }
}
