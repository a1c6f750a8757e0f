package org.concilium.layout;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.Test;

class DecreaseConventionTest {

    private static Measure measure(String scoring, String notation) {
        Measure m = new Measure();
        m.setScoring(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/measure-scoring", scoring, null)));
        m.setImprovementNotation(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/measure-improvement-notation", notation, null)));
        m.addGroup();
        return m;
    }

    private static MeasureReport report(double group, double stratum) {
        MeasureReport r = new MeasureReport();
        var g = r.addGroup();
        g.getMeasureScore().setValue(group);
        g.addStratifier().addStratum().getMeasureScore().setValue(stratum);
        return r;
    }

    @Test
    void decreasingProportionsAreReportedAsOneMinusTheScore() {
        MeasureReport r = DecreaseConvention.apply(measure("proportion", "decrease"), report(0.25, 0.4));
        assertThat(r.getGroupFirstRep().getMeasureScore().getValue().doubleValue()).isEqualTo(0.75);
        assertThat(r.getGroupFirstRep().getStratifierFirstRep().getStratumFirstRep().getMeasureScore().getValue()
                .doubleValue()).isEqualTo(0.6);
    }

    @Test
    void increasingProportionsAndRatiosAreLeftAlone() {
        assertThat(DecreaseConvention.apply(measure("proportion", "increase"), report(0.25, 0.4)).getGroupFirstRep()
                .getMeasureScore().getValue().doubleValue()).isEqualTo(0.25);
        assertThat(DecreaseConvention.apply(measure("ratio", "decrease"), report(0.25, 0.4)).getGroupFirstRep()
                .getMeasureScore().getValue().doubleValue()).isEqualTo(0.25);
    }
}
