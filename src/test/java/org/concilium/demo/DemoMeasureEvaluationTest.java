package org.concilium.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the sample Measures' FHIRPath criteria over generated sites with the engine context the README
 * documents, and checks that every criterion has the right type and that counts and strata are non-trivial.
 */
class DemoMeasureEvaluationTest {
    private static final PatientFhirPath FHIRPATH = new PatientFhirPath();
    private static List<PatientFhirPath.Subject> site0;

    @BeforeAll
    static void generate() {
        site0 = PatientFhirPath.subjects(SyntheticPopulation.generateBundles(42, 0, 1_000, 100));
    }

    @Test
    void hypertensionControlHasRealisticPopulationsAndFilledStrata() {
        Measure m = DemoMeasures.measure(DemoMeasures.HYPERTENSION_CONTROL);
        Map<String, List<PatientFhirPath.Subject>> pops = populations(m, site0);
        int ip = pops.get("initial-population").size();
        assertThat(ip).as("IP share of 1,000").isBetween(100, 600);
        assertThat(pops.get("denominator")).hasSize(ip);
        int denex = pops.get("denominator-exclusion").size();
        assertThat(denex).isBetween(3, ip / 10);
        double rate = pops.get("numerator").size() / (double) (ip - denex);
        assertThat(rate).as("control rate").isBetween(0.3, 0.9);

        Measure.MeasureGroupStratifierComponent age = m.getGroupFirstRep().getStratifier().get(1);
        Map<String, Integer> bands = new HashMap<>();
        for (PatientFhirPath.Subject s : pops.get("initial-population")) {
            bands.merge(single(FHIRPATH.evaluate(s, age.getCriteria().getExpression())), 1, Integer::sum);
        }
        assertThat(bands.keySet()).containsExactlyInAnyOrder("18-44", "45-64", "65+");
        assertThat(bands.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(11));
        assertStratumValuesDeclared(m, pops.get("initial-population"));
    }

    @Test
    void ratioCohortAndContinuousVariableMeasuresCountSomething() {
        Map<String, List<PatientFhirPath.Subject>> ratio =
                populations(DemoMeasures.measure(DemoMeasures.VISIT_CANCELLATION_RATIO), site0);
        assertThat(ratio.get("denominator").size()).isGreaterThan(5 * ratio.get("numerator").size());
        assertThat(ratio.get("numerator").size()).isGreaterThanOrEqualTo(20);

        Map<String, List<PatientFhirPath.Subject>> cohort =
                populations(DemoMeasures.measure(DemoMeasures.DIABETES_COHORT), site0);
        assertThat(cohort.get("initial-population").size()).isBetween(50, 300);

        Measure cv = DemoMeasures.measure(DemoMeasures.HBA1C_AVERAGE);
        Map<String, List<PatientFhirPath.Subject>> pops = populations(cv, site0);
        List<PatientFhirPath.Subject> mp = pops.get("measure-population");
        assertThat(mp.size()).isBetween(30, cohort.get("initial-population").size());
        String observation = cv.getGroupFirstRep().getPopulation().get(2).getCriteria().getExpression();
        BigDecimal sum = BigDecimal.ZERO;
        for (PatientFhirPath.Subject s : mp) {
            List<Base> v = FHIRPATH.evaluate(s, observation);
            assertThat(v).hasSize(1);
            BigDecimal a1c = ((DecimalType) v.get(0)).getValue();
            assertThat(a1c).isBetween(new BigDecimal("4.0"), new BigDecimal("15.0"));
            sum = sum.add(a1c);
        }
        assertThat(sum.doubleValue() / mp.size()).as("average HbA1c of diabetics").isBetween(6.5, 8.5);
    }

    @Test
    void sitesDifferInCaseMix() {
        Measure m = DemoMeasures.measure(DemoMeasures.HYPERTENSION_CONTROL);
        int older = populations(m, PatientFhirPath.subjects(SyntheticPopulation.generateBundles(42, 1, 400, 100)))
                .get("initial-population").size();
        int younger = populations(m, PatientFhirPath.subjects(SyntheticPopulation.generateBundles(42, 2, 400, 100)))
                .get("initial-population").size();
        assertThat(older).isGreaterThan(younger + 20);
    }

    /**
     * Members of each boolean population, nested as cqf-fhir-cr nests them (DEN, NUM, MP within IP; DENEX within
     * DEN; NUM of a proportion within DEN minus DENEX); asserts every boolean criterion yields exactly one boolean.
     */
    private static Map<String, List<PatientFhirPath.Subject>> populations(Measure m,
            List<PatientFhirPath.Subject> subjects) {
        Map<String, List<PatientFhirPath.Subject>> out = new HashMap<>();
        for (Measure.MeasureGroupPopulationComponent p : m.getGroupFirstRep().getPopulation()) {
            String code = p.getCode().getCodingFirstRep().getCode();
            if (code.equals("measure-observation")) continue;
            List<PatientFhirPath.Subject> members = new ArrayList<>();
            for (PatientFhirPath.Subject s : subjects) {
                List<Base> r = FHIRPATH.evaluate(s, p.getCriteria().getExpression());
                assertThat(r).as(code + " returns one boolean").hasSize(1);
                assertThat(r.get(0).fhirType()).isEqualTo("boolean");
                if (Boolean.parseBoolean(r.get(0).primitiveValue())) members.add(s);
            }
            out.put(code, members);
        }
        List<PatientFhirPath.Subject> ip = out.get("initial-population");
        out.replaceAll((code, members) -> members.stream().filter(ip::contains).toList());
        if (out.containsKey("denominator-exclusion")) {
            List<PatientFhirPath.Subject> den = out.get("denominator");
            out.put("denominator-exclusion", out.get("denominator-exclusion").stream().filter(den::contains).toList());
        }
        if (m.getScoring().getCodingFirstRep().getCode().equals("proportion")) {
            List<PatientFhirPath.Subject> den = out.get("denominator");
            List<PatientFhirPath.Subject> denex = out.getOrDefault("denominator-exclusion", List.of());
            out.put("numerator", out.get("numerator").stream().filter(s -> den.contains(s) && !denex.contains(s))
                    .toList());
        }
        return out;
    }

    private static void assertStratumValuesDeclared(Measure m, List<PatientFhirPath.Subject> subjects) {
        List<Measure.MeasureGroupStratifierComponent> strats = m.getGroupFirstRep().getStratifier();
        for (Measure.MeasureGroupStratifierComponent st : strats) {
            List<String> declared = st.getExtension().stream().map(e -> e.getValue() instanceof PrimitiveType<?> p
                    ? p.getValueAsString() : ((org.hl7.fhir.r4.model.Coding) e.getValue()).getCode()).toList();
            for (PatientFhirPath.Subject s : subjects) {
                assertThat(declared).contains(single(FHIRPATH.evaluate(s, st.getCriteria().getExpression())));
            }
        }
    }

    private static String single(List<Base> r) {
        assertThat(r).hasSize(1);
        return r.get(0).primitiveValue();
    }
}
