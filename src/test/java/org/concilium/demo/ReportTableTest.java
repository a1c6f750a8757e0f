package org.concilium.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.concilium.layout.MeasureLayout;
import org.concilium.measure.MeasureModel;
import org.concilium.privacy.SmallCellSuppression;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.api.Test;

class ReportTableTest {

    @Test
    void rendersGroupStrataScoresSupplementalDataAndMaskedCells() {
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(DemoMeasures.measure(DemoMeasures.HYPERTENSION_CONTROL)));
        long[] v = new long[layout.slotCount()];
        set(layout, v, "g[main]", 400, 400, 12, 250);
        set(layout, v, "g[main].strat[gender][female]", 210, 210, 7, 140);
        set(layout, v, "g[main].strat[gender][male]", 190, 190, 5, 110);
        set(layout, v, "g[main].strat[age-band][18-44]", 40, 40, 0, 22);
        set(layout, v, "g[main].strat[age-band][45-64]", 150, 150, 4, 95);
        set(layout, v, "g[main].strat[age-band][65+]", 210, 210, 8, 133);
        v[layout.indexOf("sde[sde-gender][female]")] = 210;
        v[layout.indexOf("sde[sde-gender][male]")] = 190;
        v[layout.indexOf("sde[sde-race][2106-3]")] = 300;
        v[layout.indexOf("sde[sde-race][2054-5]")] = 80;
        v[layout.indexOf("sde[sde-race][2028-9]")] = 17;
        v[layout.indexOf("sde[sde-race][1002-5]")] = 3;
        MeasureReport report = layout.decode(v, new Period().setStartElement(new DateTimeType("2024-01-01"))
                .setEndElement(new DateTimeType("2024-12-31")));
        report = new SmallCellSuppression(11).apply(report, layout);

        String table = ReportTable.render(report);

        assertThat(table).contains("http://concilium.org/fhir/Measure/demo-hypertension-control|1.0.0")
                .contains("summary").contains("2024-01-01 .. 2024-12-31");
        assertThat(table).containsPattern("main\\s+initial-population\\s+400\\s+0\\.6443");
        assertThat(table).containsPattern("gender\\s+female\\s+initial-population\\s+210");
        assertThat(table).containsPattern("age-band\\s+65\\+\\s+initial-population\\s+210");
        assertThat(table).containsPattern("denominator-exclusion\\s+<masked>");
        assertThat(table).containsPattern("gender\\s+female\\s+initial-population\\s+210\\s+<masked>");
        assertThat(table).containsPattern("sde-race\\s+2106-3 \\(White\\)\\s+300");
        assertThat(table).containsPattern("1002-5 \\(American Indian or Alaska Native\\)\\s+<masked>");
        assertThat(table.lines().filter(l -> l.startsWith("group"))).hasSize(1);
        assertThat(table.lines()).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
    }

    @Test
    void rendersContinuousVariableObservationCountAndAverage() {
        MeasureLayout layout = MeasureLayout.of(MeasureModel.of(DemoMeasures.measure(DemoMeasures.HBA1C_AVERAGE)));
        long[] v = new long[layout.slotCount()];
        v[layout.indexOf("g[main].pop[initial-population]")] = 120;
        v[layout.indexOf("g[main].pop[measure-population]")] = 100;
        v[layout.indexOf("g[main].pop[measure-observation]")] = 100;
        v[layout.indexOf("g[main].obs.sum")] = 752_000;
        v[layout.indexOf("g[main].obs.count")] = 100;

        String table = ReportTable.render(layout.decode(v));

        assertThat(table).containsPattern("main\\s+initial-population\\s+120\\s+7\\.52");
        assertThat(table).containsPattern("\\(observations\\)\\s+100");
    }

    private static void set(MeasureLayout layout, long[] v, String prefix, long ip, long den, long denex, long num) {
        v[layout.indexOf(prefix + ".pop[initial-population]")] = ip;
        v[layout.indexOf(prefix + ".pop[denominator]")] = den;
        v[layout.indexOf(prefix + ".pop[denominator-exclusion]")] = denex;
        v[layout.indexOf(prefix + ".pop[numerator]")] = num;
    }
}
