package org.concilium.layout;

import org.concilium.measure.MeasureScore;
import org.concilium.measure.Scoring;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Quantity;

/**
 * The measure engine's convention for proportion measures whose improvementNotation is
 * {@code decrease} ({@link MeasureScore#invertedForDecrease}, the rule local reports follow too),
 * applied to a decoded network report, so it scores exactly as the same report evaluated on one node.
 */
public final class DecreaseConvention {

    private static final String GROUP_NOTATION =
            "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-improvementNotation";
    private static final String GROUP_SCORING = "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-scoring";

    private DecreaseConvention() {
    }

    public static MeasureReport apply(Measure measure, MeasureReport report) {
        for (int g = 0; g < measure.getGroup().size() && g < report.getGroup().size(); g++) {
            Measure.MeasureGroupComponent mg = measure.getGroup().get(g);
            if (!MeasureScore.invertedForDecrease(Scoring.of(scoring(measure, mg)), notation(measure, mg))) {
                continue;
            }
            MeasureReport.MeasureReportGroupComponent rg = report.getGroup().get(g);
            invert(rg.getMeasureScore());
            rg.getStratifier().forEach(s -> s.getStratum().forEach(st -> invert(st.getMeasureScore())));
        }
        return report;
    }

    private static void invert(Quantity score) {
        if (score != null && score.hasValue()) {
            score.setValue(MeasureScore.decrease(score.getValue().doubleValue()));
        }
    }

    private static String scoring(Measure m, Measure.MeasureGroupComponent g) {
        var ext = g.getExtensionByUrl(GROUP_SCORING);
        CodeableConcept cc = ext != null && ext.getValue() instanceof CodeableConcept c ? c : m.getScoring();
        return cc == null || !cc.hasCoding() ? null : cc.getCodingFirstRep().getCode();
    }

    private static String notation(Measure m, Measure.MeasureGroupComponent g) {
        var ext = g.getExtensionByUrl(GROUP_NOTATION);
        CodeableConcept cc = ext != null && ext.getValue() instanceof CodeableConcept c ? c : m.getImprovementNotation();
        return cc == null || !cc.hasCoding() ? null : cc.getCodingFirstRep().getCode();
    }
}
