package org.concilium.demo;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void scratch() {
        PatientFhirPath fp = new PatientFhirPath();
        List<PatientFhirPath.Subject> subjects = PatientFhirPath.subjects(SyntheticPopulation.generateBundles(1, 0, 8, 5));
        for (String e : List.of(
                "Patient.birthDate",
                "Patient.birthDate <= (%measurementPeriodEnd - 18 years)",
                "(%measurementPeriodEnd - 18 years)",
                "Patient.birthDate.toString() <= (%measurementPeriodEnd - 18 years).toString().substring(0, 10)",
                "%measurementPeriodEnd.toString()",
                "%encounters.period.start",
                "%encounters.where(period.start >= %measurementPeriodStart and period.start <= %measurementPeriodEnd).count()",
                "%encounters.aggregate(iif($total.empty() or $this.period.start > $total.period.start, $this, $total)).period.start",
                "%conditions.exists()",
                "Patient.birthDate + 18 years <= %measurementPeriodEnd",
                "%measurementPeriodEnd.toString().substring(0, 4).toInteger() - Patient.birthDate.toString().substring(0, 4).toInteger()",
                "%observations.where(code.coding.code = '4548-4').value.value",
                "%observations.where(code.coding.code = '85354-9').component.where(code.coding.code = '8480-6').value.value < 140"
                )) {
            for (var s : subjects.subList(0, 3)) {
            try {
                System.out.println(e + "  ==>  " + fp.evaluate(s, e));
            } catch (Exception ex) {
                System.out.println(e + "  !!  " + ex);
            }
            }
        }
    }
}
