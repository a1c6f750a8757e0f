package org.concilium.measure;

import static org.concilium.measure.MeasureScenario.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Produced MeasureReports pass the HL7 validator (R4 core profiles) with no errors. */
class MeasureReportValidationTest {

    /** Built once: the validator takes seconds to load the R4 definitions. */
    static FhirValidator validator;

    @BeforeAll
    static void validator() {
        FhirContext fhir = FhirContext.forR4Cached();
        var chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir));
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        module.setAnyExtensionsAllowed(true);
        validator = fhir.newValidator().registerValidatorModule(module);
    }

    static void assertValid(MeasureReport produced) {
        MeasureReport report = produced.copy();
        // HAPI 8.6.1's validator bridge cannot look up a versioned canonical (HAPI-2509 from
        // MeasureValidator.fetchResourcesByUrl), so the version is dropped for validation only.
        if (report.getMeasure() != null && report.getMeasure().contains("|")) {
            report.setMeasure(report.getMeasure().substring(0, report.getMeasure().indexOf('|')));
        }
        var result = validator.validateWithResult(report);
        List<SingleValidationMessage> errors = result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
        assertTrue(errors.isEmpty(), () -> "validation errors:\n" + String.join("\n",
                errors.stream().map(m -> m.getLocationString() + ": " + m.getMessage()).toList()));
    }

    @Test
    void summaryWithStrataAndSupplementalData() {
        var data = SharedData.load("clinical-reasoning/measure-r4/MeasureStratifierTest");
        assertValid(given(data).when().measure("CohortBooleanStratCode").evaluate().then().report());
        assertValid(given(data).when().measure("RatioBooleanStratComponent").evaluate().then().report());
        assertValid(given(data).when().measure("RatioResourceStratValue").evaluate().then().report());
    }

    @Test
    void subjectListAndIndividual() {
        var data = SharedData.load("clinical-reasoning/measure-r4/MeasureTest");
        assertValid(given(data).when().measure("ProportionBooleanAllPopulations").reportType("subject-list").evaluate().then().report());
        assertValid(given(data).when().measure("ProportionResourceAllPopulations").reportType("subject-list").evaluate().then().report());
        assertValid(given(data).when().measure("ProportionResourceAllPopulations").subject("Patient/patient-9").evaluate().then().report());
        assertValid(given(data).when().measure("ContinuousVariableResourceAllPopulations").evaluate().then().report());
        assertValid(given(data).when().measure("ProportionBooleanImprovementNotationGroupDecrease").evaluate().then().report());
    }

    @Test
    void ecqmIndividualAndSummary() {
        var data = SharedData.load("ecqm-content-r4/input");
        String measure = "http://ecqi.healthit.gov/ecqms/Measure/ColorectalCancerScreeningsFHIR";
        assertValid(given(data).when().measure(measure).period("2019", "2019").subject("Patient/numer-EXM130").evaluate().then().report());
        assertValid(given(data).when().measure(measure).period("2019-01-01", "2019-12-31").evaluate().then().report());
    }

    @Test
    void reportWithFailedStratifierAndReporter() {
        var reporting = new MeasureEvaluator(MeasureEvaluator.Options.defaults().withReporter("Organization/this-site"));
        var m = BrokenMeasureTest.cohort("m", "In");
        var boom = m.getGroupFirstRep().addStratifier();
        boom.setId("boom");
        boom.setCriteria(new org.hl7.fhir.r4.model.Expression().setLanguage("text/cql-identifier").setExpression("Boom"));
        var report = given(BrokenMeasureTest.base().add(m).build()).when().measure("m").using(reporting).evaluate().then().report();
        assertValid(report);
    }
}
